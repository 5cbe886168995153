"""A module-level function returning an SDK client (a client factory in a helper module) makes its
module one other modules reach models through: a module that imports the factory and names no SDK
itself is read, and its requests on the returned client are sites. A factory of a client that runs
no model (an S3 client) gives none."""

from __future__ import annotations

from projects import make

from tokenlint.config import Config
from tokenlint.engine import analyse

UTILS = (
    "import boto3\n"
    "\n"
    "\n"
    "def get_agent_client(region='us-east-1'):\n"
    "    client = boto3.client('bedrock-agent', region_name=region)\n"
    "    return client\n"
    "\n"
    "\n"
    "def get_storage_client():\n"
    "    return boto3.client('s3')\n"
)
SYNC = (
    "from app.utils import get_agent_client, get_storage_client\n"
    "\n"
    "agent = get_agent_client()\n"
    "storage = get_storage_client()\n"
    "\n"
    "\n"
    "def sync(kb_id, source_id):\n"
    "    storage.put_object(Bucket='docs', Key='a', Body=b'')\n"
    "    return agent.start_ingestion_job(knowledgeBaseId=kb_id, dataSourceId=source_id)\n"
)


def test_a_module_using_a_client_factory_of_another_module_is_read(tmp_path):
    root = make(tmp_path / "proj", {"backend/app/__init__.py": "", "backend/app/utils.py": UTILS,
                                    "backend/jobs/sync_source.py": SYNC})
    result = analyse([root], Config(), root=root)
    sites = [(s.path, s.line, s.sdk, s.api) for s in result.sites]
    assert sites == [("backend/jobs/sync_source.py", 9, "bedrock-agent", "embeddings")]
