"""SDK surfaces added on 2026-12-07 (post20b), each checked against the package's source: Bedrock's
ApplyGuardrail and bidirectional stream (boto3) and the Smithy-generated aws-sdk-bedrock-runtime client,
the Azure AI Foundry Agent Service runs (azure-ai-agents, directly or through azure-ai-projects'
`AIProjectClient.agents`), OpenAI eval runs, fireworks-ai's legacy `completion` / `acreate` forms,
ibm-watson-machine-learning's `Model`, ElevenLabs' voice design and Copilot Studio questions; beside
the calls on the same clients that spend nothing."""

from __future__ import annotations

from pathlib import Path

from test_catalog_census14b import _on, _sites  # the census tests' fixture helpers


def test_bedrock_guardrails_and_the_bidirectional_stream_are_requests(tmp_path: Path) -> None:
    src = ("import boto3\n"
           "rt = boto3.client('bedrock-runtime')\n"
           "def check(text):\n"
           "    return rt.apply_guardrail(guardrailIdentifier='g', guardrailVersion='1', source='INPUT',\n"
           "                              content=[{'text': {'text': text}}])\n"
           "def talk():\n"
           "    return rt.invoke_model_with_bidirectional_stream(modelId='amazon.nova-sonic-v1:0', body=b'')\n"
           "def jobs():\n"
           "    return rt.list_async_invokes()\n")
    sites = _sites(tmp_path, src)
    assert (_on(sites, 4, "direct").api, _on(sites, 4, "direct").provider) == ("guardrail", "aws_bedrock")
    s = _on(sites, 7, "direct")
    assert (s.api, s.stream, s.model.value) == ("invoke_model", True, "amazon.nova-sonic-v1:0")
    assert not [x for x in sites if x.line == 9]


def test_the_smithy_bedrock_runtime_client_is_a_bedrock_client(tmp_path: Path) -> None:
    src = ("from aws_sdk_bedrock_runtime.client import BedrockRuntimeClient, InvokeModelWithBidirectionalStreamOperationInput\n"
           "from aws_sdk_bedrock_runtime.config import Config\n"
           "async def connect(model_id, region):\n"
           "    client = BedrockRuntimeClient(config=Config(region=region))\n"
           "    return await client.invoke_model_with_bidirectional_stream(\n"
           "        InvokeModelWithBidirectionalStreamOperationInput(model_id=model_id))\n"
           "def config(region):\n"
           "    return Config(region=region)\n")
    sites = _sites(tmp_path, src)
    s = _on(sites, 5, "direct")
    assert (s.provider, s.sdk, s.stream, s.is_async) == ("aws_bedrock", "aws-sdk-bedrock-runtime", True, True)
    assert [x.line for x in sites] == [5]  # building the client or its config sends nothing


def test_azure_ai_agent_runs_through_the_project_client_or_the_agents_client(tmp_path: Path) -> None:
    src = ("from azure.ai.projects.aio import AIProjectClient\n"
           "from azure.ai.agents import AgentsClient\n"
           "async def run(project: AIProjectClient, thread_id, agent_id, outputs, run_id):\n"
           "    r = await project.agents.runs.create(thread_id=thread_id, agent_id=agent_id)\n"
           "    await project.agents.runs.submit_tool_outputs(thread_id=thread_id, run_id=run_id, tool_outputs=outputs)\n"
           "    await project.agents.threads.create()\n"
           "    return r\n"
           "def once(endpoint, cred, agent_id):\n"
           "    client = AgentsClient(endpoint=endpoint, credential=cred)\n"
           "    return client.create_thread_and_process_run(agent_id=agent_id, instructions='Be brief.')\n")
    sites = _sites(tmp_path, src)
    assert {(s.line, s.provider, s.api) for s in sites} == {(4, "azure_ai", "agents"), (5, "azure_ai", "agents"),
                                                           (10, "azure_ai", "agents")}
    assert _on(sites, 4, "direct").is_async and not _on(sites, 10, "direct").is_async


def test_an_openai_eval_run_is_a_request_and_creating_the_eval_is_not(tmp_path: Path) -> None:
    src = ("from openai import AsyncOpenAI\n"
           "client = AsyncOpenAI()\n"
           "async def evaluate(eval_id, source):\n"
           "    await client.evals.create(name='e', data_source_config={}, testing_criteria=[])\n"
           "    return await client.evals.runs.create(eval_id, data_source=source)\n")
    sites = _sites(tmp_path, src)
    assert [(s.line, s.api) for s in sites] == [(5, "evals")]


def test_fireworks_legacy_completion_forms(tmp_path: Path) -> None:
    src = ("from fireworks.client import Fireworks\n"
           "def client() -> Fireworks:\n"
           "    return Fireworks(api_key='k')\n"
           "async def go(params):\n"
           "    a = await client().completion.acreate(**params)\n"
           "    b = await client().chat.completions.acreate(**params)\n"
           "    c = client().completion.create(**params)\n"
           "    return a, b, c\n")
    sites = _sites(tmp_path, src)
    assert [(s.line, s.provider, s.api, s.is_async) for s in sites] == [
        (5, "fireworks", "completions", True), (6, "fireworks", "chat.completions", True),
        (7, "fireworks", "completions", False)]


def test_watson_machine_learning_model_generates_with_the_model_it_was_built_with(tmp_path: Path) -> None:
    src = ("from ibm_watson_machine_learning.foundation_models import Model\n"
           "def gen(prompt, creds, project):\n"
           "    model = Model(model_id='ibm/granite-13b-chat-v2', credentials=creds, project_id=project)\n"
           "    for chunk in model.generate_text_stream(prompt=prompt):\n"
           "        yield chunk\n"
           "    yield model.generate(prompt)\n"
           "    yield model.get_details()\n")
    sites = _sites(tmp_path, src)
    assert [(s.line, s.provider, s.stream, s.model.value) for s in sites] == [
        (4, "ibm_watsonx", True, "ibm/granite-13b-chat-v2"), (6, "ibm_watsonx", False, "ibm/granite-13b-chat-v2")]


def test_elevenlabs_voice_design_generates_previews_and_saving_a_voice_does_not(tmp_path: Path) -> None:
    src = ("from elevenlabs.client import ElevenLabs\n"
           "client = ElevenLabs(api_key='k')\n"
           "def design(description, text):\n"
           "    previews = client.text_to_voice.design(voice_description=description, text=text, model_id='eleven_ttv_v3')\n"
           "    return client.text_to_voice.create(voice_name='n', voice_description=description,\n"
           "                                       generated_voice_id=previews.previews[0].generated_voice_id)\n")
    sites = _sites(tmp_path, src)
    assert [(s.line, s.provider, s.api, s.model.value) for s in sites] == [
        (4, "elevenlabs", "audio.speech", "eleven_ttv_v3")]


def test_a_question_to_a_copilot_studio_agent_is_a_request_and_starting_the_conversation_is_not(tmp_path: Path) -> None:
    src = ("from microsoft_agents.copilotstudio.client import CopilotClient\n"
           "class Agent:\n"
           "    def __init__(self, settings, token):\n"
           "        self.client = CopilotClient(settings, token)\n"
           "    async def ask(self, question, conversation_id):\n"
           "        async for _ in self.client.start_conversation(emit_start_conversation_event=True):\n"
           "            pass\n"
           "        async for activity in self.client.ask_question(question, conversation_id):\n"
           "            yield activity\n")
    sites = _sites(tmp_path, src)
    assert [(s.line, s.provider, s.api) for s in sites] == [(8, "copilot_studio", "agents")]
