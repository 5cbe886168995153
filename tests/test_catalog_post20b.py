"""SDK surfaces added on 2026-12-07 (post20b), each checked against the package's source: Bedrock's
ApplyGuardrail and bidirectional stream (boto3) and the Smithy-generated aws-sdk-bedrock-runtime client,
the Azure AI Foundry Agent Service runs (azure-ai-agents, directly or through azure-ai-projects'
`AIProjectClient.agents`), OpenAI eval runs, fireworks-ai's legacy `completion` / `acreate` forms,
ibm-watson-machine-learning's `Model`, ElevenLabs' voice design and Copilot Studio questions; beside
the calls on the same clients that spend nothing."""

from __future__ import annotations

from pathlib import Path

from test_catalog_census14b import _on, _sites  # the census tests' fixture helpers


def _found(tmp_path: Path, src: str, *fields: str) -> list[tuple]:
    """(line, *fields) of each site found in `src` (`model` is the model's value), in line order."""
    return [(s.line, *(s.model.value if f == "model" else getattr(s, f) for f in fields)) for s in _sites(tmp_path, src)]


def test_bedrock_guardrails_and_the_bidirectional_stream_are_requests(tmp_path: Path) -> None:
    src = '''\
import boto3
rt = boto3.client('bedrock-runtime')
def check(text):
    return rt.apply_guardrail(guardrailIdentifier='g', guardrailVersion='1', source='INPUT',
                              content=[{'text': {'text': text}}])
def talk():
    return rt.invoke_model_with_bidirectional_stream(modelId='amazon.nova-sonic-v1:0', body=b'')
def jobs():
    return rt.list_async_invokes()
'''
    sites = _sites(tmp_path, src)
    assert (_on(sites, 4, "direct").api, _on(sites, 4, "direct").provider) == ("guardrail", "aws_bedrock")
    s = _on(sites, 7, "direct")
    assert (s.api, s.stream, s.model.value) == ("invoke_model", True, "amazon.nova-sonic-v1:0")
    assert not [x for x in sites if x.line == 9]


def test_the_smithy_bedrock_runtime_client_is_a_bedrock_client(tmp_path: Path) -> None:
    src = '''\
from aws_sdk_bedrock_runtime.client import BedrockRuntimeClient, InvokeModelWithBidirectionalStreamOperationInput
from aws_sdk_bedrock_runtime.config import Config
async def connect(model_id, region):
    client = BedrockRuntimeClient(config=Config(region=region))
    return await client.invoke_model_with_bidirectional_stream(
        InvokeModelWithBidirectionalStreamOperationInput(model_id=model_id))
def config(region):
    return Config(region=region)
'''
    sites = _sites(tmp_path, src)
    s = _on(sites, 5, "direct")
    assert (s.provider, s.sdk, s.stream, s.is_async) == ("aws_bedrock", "aws-sdk-bedrock-runtime", True, True)
    assert [x.line for x in sites] == [5]  # building the client or its config sends nothing


def test_azure_ai_agent_runs_through_the_project_client_or_the_agents_client(tmp_path: Path) -> None:
    src = '''\
from azure.ai.projects.aio import AIProjectClient
from azure.ai.agents import AgentsClient
async def run(project: AIProjectClient, thread_id, agent_id, outputs, run_id):
    r = await project.agents.runs.create(thread_id=thread_id, agent_id=agent_id)
    await project.agents.runs.submit_tool_outputs(thread_id=thread_id, run_id=run_id, tool_outputs=outputs)
    await project.agents.threads.create()
    return r
def once(endpoint, cred, agent_id):
    client = AgentsClient(endpoint=endpoint, credential=cred)
    return client.create_thread_and_process_run(agent_id=agent_id, instructions='Be brief.')
'''
    sites = _sites(tmp_path, src)
    assert {(s.line, s.provider, s.api) for s in sites} == {(4, "azure_ai", "agents"), (5, "azure_ai", "agents"),
                                                           (10, "azure_ai", "agents")}
    assert _on(sites, 4, "direct").is_async and not _on(sites, 10, "direct").is_async


def test_an_openai_eval_run_is_a_request_and_creating_the_eval_is_not(tmp_path: Path) -> None:
    src = '''\
from openai import AsyncOpenAI
client = AsyncOpenAI()
async def evaluate(eval_id, source):
    await client.evals.create(name='e', data_source_config={}, testing_criteria=[])
    return await client.evals.runs.create(eval_id, data_source=source)
'''
    assert _found(tmp_path, src, "api") == [(5, "evals")]


def test_fireworks_legacy_completion_forms(tmp_path: Path) -> None:
    src = '''\
from fireworks.client import Fireworks
def client() -> Fireworks:
    return Fireworks(api_key='k')
async def go(params):
    a = await client().completion.acreate(**params)
    b = await client().chat.completions.acreate(**params)
    c = client().completion.create(**params)
    return a, b, c
'''
    assert _found(tmp_path, src, "provider", "api", "is_async") == [
        (5, "fireworks", "completions", True), (6, "fireworks", "chat.completions", True),
        (7, "fireworks", "completions", False)]


def test_watson_machine_learning_model_generates_with_the_model_it_was_built_with(tmp_path: Path) -> None:
    src = '''\
from ibm_watson_machine_learning.foundation_models import Model
def gen(prompt, creds, project):
    model = Model(model_id='ibm/granite-13b-chat-v2', credentials=creds, project_id=project)
    for chunk in model.generate_text_stream(prompt=prompt):
        yield chunk
    yield model.generate(prompt)
    yield model.get_details()
'''
    assert _found(tmp_path, src, "provider", "stream", "model") == [
        (4, "ibm_watsonx", True, "ibm/granite-13b-chat-v2"), (6, "ibm_watsonx", False, "ibm/granite-13b-chat-v2")]


def test_elevenlabs_voice_design_generates_previews_and_saving_a_voice_does_not(tmp_path: Path) -> None:
    src = '''\
from elevenlabs.client import ElevenLabs
client = ElevenLabs(api_key='k')
def design(description, text):
    previews = client.text_to_voice.design(voice_description=description, text=text, model_id='eleven_ttv_v3')
    return client.text_to_voice.create(voice_name='n', voice_description=description,
                                       generated_voice_id=previews.previews[0].generated_voice_id)
'''
    assert _found(tmp_path, src, "provider", "api", "model") == [
        (4, "elevenlabs", "audio.speech", "eleven_ttv_v3")]


def test_a_question_to_a_copilot_studio_agent_is_a_request_and_starting_the_conversation_is_not(tmp_path: Path) -> None:
    src = '''\
from microsoft_agents.copilotstudio.client import CopilotClient
class Agent:
    def __init__(self, settings, token):
        self.client = CopilotClient(settings, token)
    async def ask(self, question, conversation_id):
        async for _ in self.client.start_conversation(emit_start_conversation_event=True):
            pass
        async for activity in self.client.ask_question(question, conversation_id):
            yield activity
'''
    assert _found(tmp_path, src, "provider", "api") == [(8, "copilot_studio", "agents")]
