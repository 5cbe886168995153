"""SDK surfaces added on 2026-12-07 (post21e), each checked against the package's source: Bedrock flows and
the other model-running operations of bedrock-agent-runtime, Amazon Lex (V1 and V2), Comprehend Medical and
Bedrock Data Automation (boto3), the otari gateway's client and Alibaba Cloud Document Mind; beside the
calls on the same clients that spend nothing. And a client handed on by one constructor to a nested class
that sends through it."""

from __future__ import annotations

from pathlib import Path

from test_catalog_census14b import _sites  # the census tests' fixture helpers


def _found(tmp_path: Path, src: str) -> set[tuple]:
    """(line, provider, api, model value, stream, async) of each site found in `src`."""
    return {(s.line, s.provider, s.api, s.model.value, s.stream, s.is_async) for s in _sites(tmp_path, src)}


def test_bedrock_flows_and_agentic_retrieval_are_requests_and_their_reads_are_not(tmp_path: Path) -> None:
    src = '''\
import boto3
rt = boto3.client("bedrock-agent-runtime")
def run(flow, alias, doc):
    return rt.invoke_flow(flowIdentifier=flow, flowAliasIdentifier=alias, inputs=[doc])
def later(flow, alias, doc):
    return rt.start_flow_execution(flowIdentifier=flow, flowAliasIdentifier=alias, inputs=[doc])
def sql(q):
    return rt.generate_query(queryGenerationInput={"text": q, "type": "TEXT"}, transformationConfiguration={})
def progress(flow, alias, run_id):
    return rt.get_flow_execution(flowIdentifier=flow, flowAliasIdentifier=alias, executionIdentifier=run_id)
'''
    assert _found(tmp_path, src) == {(4, "aws_bedrock", "agents", None, True, False),
                                     (6, "aws_bedrock", "agents", None, False, False),
                                     (8, "aws_bedrock", "generate_query", None, False, False)}


def test_lex_bots_comprehend_medical_and_data_automation_are_paid_requests(tmp_path: Path) -> None:
    src = '''\
import boto3
bot = boto3.client("lexv2-runtime")
old_bot = boto3.client("lex-runtime")
med = boto3.client("comprehendmedical")
bda = boto3.client("bedrock-data-automation-runtime")
def say(text, sid):
    return bot.recognize_text(botId="B", botAliasId="A", localeId="en_US", sessionId=sid, text=text)
def say_old(text):
    return old_bot.post_text(botName="B", botAlias="A", userId="u", inputText=text)
def codes(note):
    return med.infer_icd10_cm(Text=note)
def parse(uri, project):
    return bda.invoke_data_automation_async(inputConfiguration={"s3Uri": uri}, outputConfiguration={},
                                            dataAutomationProfileArn=project)
def state(sid):
    return bot.get_session(botId="B", botAliasId="A", localeId="en_US", sessionId=sid)
def jobs():
    return med.list_phi_detection_jobs()
'''
    assert _found(tmp_path, src) == {(7, "aws_lex", "text_analysis", None, False, False),
                                     (9, "aws_lex", "text_analysis", None, False, False),
                                     (11, "aws_comprehend", "text_analysis", None, False, False),
                                     (13, "aws_bedrock", "document_analysis", None, False, False)}


def test_an_otari_gateway_request_carries_its_provider_model_id(tmp_path: Path) -> None:
    src = '''\
from otari import AsyncOtariClient, OtariClient
gw = OtariClient(api_base="http://gateway:8000", platform_token="t")
agw = AsyncOtariClient(api_base="http://gateway:8000")
def ask(q):
    return gw.completion(model="openai:gpt-4o-mini", messages=[{"role": "user", "content": q}])
async def vectors(texts):
    return await agw.embedding(model="mistral:mistral-embed", input=texts)
def ask_traced(q):
    return gw.with_response_metadata.message(model="anthropic:claude-sonnet-4-5", messages=q, max_tokens=64)
def cost(q):
    return gw.count_tokens(model="anthropic:claude-sonnet-4-5", messages=q)
def models():
    return gw.list_models()
'''
    assert _found(tmp_path, src) == {(5, "otari", "chat.completions", "openai:gpt-4o-mini", False, False),
                                     (7, "otari", "embeddings", "mistral:mistral-embed", False, True),
                                     (9, "otari", "messages", "anthropic:claude-sonnet-4-5", False, False)}


def test_a_docmind_parsing_job_is_a_request_and_polling_its_result_is_not(tmp_path: Path) -> None:
    src = '''\
from alibabacloud_docmind_api20220711.client import Client
from alibabacloud_tea_openapi.models import Config
def submit(req, runtime):
    client = Client(Config(endpoint="docmind-api.cn-hangzhou.aliyuncs.com"))
    return client.submit_doc_parser_job_advance(req, runtime)
async def submit_later(client: Client, req):
    return await client.submit_document_extract_job_async(req)
def poll(client: Client, req):
    return client.query_doc_parser_status(req)
'''
    assert _found(tmp_path, src) == {(5, "aliyun_docmind", "document_analysis", None, False, False),
                                     (7, "aliyun_docmind", "document_analysis", None, False, True)}


def test_a_client_handed_on_to_a_nested_class_reaches_its_requests(tmp_path: Path) -> None:
    src = '''\
import openai
class Provider:
    def __init__(self, **config):
        self.client = openai.OpenAI(**config)
        self.audio = Audio(self.client)
class Audio:
    def __init__(self, client):
        self.transcriptions = self.Transcriptions(client)
    class Transcriptions:
        def __init__(self, client):
            self.client = client
        def create(self, f):
            return self.client.audio.transcriptions.create(model="whisper-1", file=f)
class Plain:
    def __init__(self, client):
        self.notes = Notes(client)
class Notes:
    def __init__(self, client):
        self.client = client
    def create(self, text):
        return self.client.audio.transcriptions.create(model="whisper-1", file=text)
def build():
    return Plain("not a client")
'''
    assert _found(tmp_path, src) == {(13, "openai", "audio.transcriptions", "whisper-1", False, False)}


def test_a_codebuddy_agent_query_is_a_request_and_reading_its_answers_is_not(tmp_path: Path) -> None:
    src = '''\
from codebuddy_agent_sdk import CodeBuddySDKClient, query
async def once(q):
    async for m in query(prompt=q):
        print(m)
async def chat(options, q):
    client = CodeBuddySDKClient(options=options)
    await client.connect()
    await client.query(q)
    async for m in client.receive_response():
        print(m)
    return client.get_model()
'''
    assert _found(tmp_path, src) == {(3, "codebuddy", "agent", None, False, True),
                                     (8, "codebuddy", "agent", None, False, True)}


def test_riva_speech_and_translation_are_requests_through_the_service_or_its_grpc_stub(tmp_path: Path) -> None:
    src = '''\
import riva.client
import riva.client.proto.riva_asr_pb2_grpc as rasr_srv
auth = riva.client.Auth(uri="grpc.nvcf.nvidia.com:443", use_ssl=True, metadata_args=[["function-id", "f"]])
def speak(text):
    return riva.client.SpeechSynthesisService(auth).synthesize(text, voice_name="English-US.Female-1")
def translate(texts):
    return riva.client.NeuralMachineTranslationClient(auth).translate(texts, "megatronnmt_any_any_1b", "en", "de")
def listen(requests):
    stub = rasr_srv.RivaSpeechRecognitionStub(auth.channel)
    return stub.StreamingRecognize(requests)
def settings(request):
    return rasr_srv.RivaSpeechRecognitionStub(auth.channel).GetRivaSpeechRecognitionConfig(request)
'''
    assert _found(tmp_path, src) == {(5, "nvidia", "audio.speech", None, False, False),
                                     (7, "nvidia", "translation", "megatronnmt_any_any_1b", False, False),
                                     (10, "nvidia", "audio.transcriptions", None, True, False)}


def test_a_coze_bot_chat_or_workflow_run_is_a_request_and_reading_history_is_not(tmp_path: Path) -> None:
    src = '''\
from cozepy import AsyncCoze, Coze, TokenAuth
coze = Coze(auth=TokenAuth("t"))
acoze = AsyncCoze(auth=TokenAuth("t"))
def ask(msgs):
    return coze.chat.create_and_poll(bot_id="b", user_id="u", additional_messages=msgs)
async def run(p):
    return await acoze.workflows.runs.create(workflow_id="w", parameters=p)
def history(cid, chat_id):
    return coze.chat.messages.list(conversation_id=cid, chat_id=chat_id)
def bots(space):
    return coze.bots.list(space_id=space)
'''
    assert _found(tmp_path, src) == {(5, "coze", "agents", None, False, False),
                                     (7, "coze", "agents", None, False, True)}


def test_an_appbuilder_app_run_and_an_llm_component_run_are_requests(tmp_path: Path) -> None:
    src = '''\
import appbuilder
app = appbuilder.AppBuilderClient("app-id")
summary = appbuilder.DialogSummary(model="ERNIE-4.0-8K")
def answer(q):
    conversation = app.create_conversation()
    return app.run(conversation, q)
def sum_up(msg):
    return summary.run(appbuilder.Message(msg))
def attach(conversation, path):
    return app.upload_local_file(conversation, path)
'''
    assert _found(tmp_path, src) == {(6, "qianfan", "agents", None, False, False),
                                     (8, "qianfan", "chat", "ERNIE-4.0-8K", False, False)}


def test_google_natural_language_video_intelligence_and_azure_language_are_paid_analyses(tmp_path: Path) -> None:
    src = '''\
from google.cloud import language_v2, videointelligence
from azure.ai.textanalytics.aio import TextAnalyticsClient
async def moderate(doc):
    client = language_v2.LanguageServiceAsyncClient()
    return await client.moderate_text(document=doc)
def scenes(uri):
    client = videointelligence.VideoIntelligenceServiceClient()
    return client.annotate_video(request={"input_uri": uri, "features": ["LABEL_DETECTION"]})
async def pii(endpoint, cred, docs):
    async with TextAnalyticsClient(endpoint, cred) as client:
        return await client.recognize_pii_entities(docs)
def document_path(client: language_v2.LanguageServiceClient):
    return client.common_project_path("p")
'''
    assert _found(tmp_path, src) == {(5, "google_cloud_language", "moderations", None, False, True),
                                     (8, "google_cloud_video", "video_analysis", None, False, False),
                                     (11, "azure_language", "text_analysis", None, False, True)}


def test_pinecone_hosted_inference_and_assistant_chat_are_requests_and_index_queries_are_not(tmp_path: Path) -> None:
    src = '''\
from pinecone import Pinecone
pc = Pinecone(api_key="k")
def sparse(text):
    return pc.inference.embed("pinecone-sparse-english-v0", inputs=[text])
def ask(messages):
    return pc.assistants.chat(assistant_name="docs", messages=messages, model="claude-sonnet-4-5")
def search(vector):
    return pc.Index("docs").query(vector=vector, top_k=5)
'''
    assert _found(tmp_path, src) == {(4, "pinecone", "embeddings", "pinecone-sparse-english-v0", False, False),
                                     (6, "pinecone", "chat", "claude-sonnet-4-5", False, False)}


def test_a_llama_stack_client_request_names_its_registered_model(tmp_path: Path) -> None:
    src = '''\
from llama_stack_client import AsyncLlamaStackClient, LlamaStackClient
client = LlamaStackClient(base_url="http://stack:8321")
aclient = AsyncLlamaStackClient(base_url="http://stack:8321")
def chat(messages):
    return client.inference.chat_completion(model_id="meta-llama/Llama-3.3-70B-Instruct", messages=messages)
async def embed(texts):
    return await aclient.embeddings.create(model="all-MiniLM-L6-v2", input=texts)
def models():
    return client.models.list()
'''
    assert _found(tmp_path, src) == {(5, "llama_stack", "chat.completions", "meta-llama/Llama-3.3-70B-Instruct", False,
                                      False),
                                     (7, "llama_stack", "embeddings", "all-MiniLM-L6-v2", False, True)}


def test_a_copilot_session_turn_is_a_request_on_the_session_model_and_opening_it_is_not(tmp_path: Path) -> None:
    src = '''\
from copilot import CopilotClient
async def ask(prompt):
    client = CopilotClient()
    session = await client.create_session(model="gpt-5")
    return await session.send_and_wait(prompt)
'''
    sites = _sites(tmp_path, src)
    assert {(s.line, s.provider, s.api, s.model.value, s.spends) for s in sites} == {
        (4, "github_copilot", "agent", "gpt-5", False), (5, "github_copilot", "agent", "gpt-5", True)}


def test_an_azure_content_understanding_analysis_is_a_request_and_an_analyzer_listing_is_not(tmp_path: Path) -> None:
    src = '''\
from azure.ai.contentunderstanding.aio import ContentUnderstandingClient
async def analyze(endpoint, cred, data):
    async with ContentUnderstandingClient(endpoint, cred) as client:
        poller = await client.begin_analyze_binary("prebuilt-documentSearch", binary_input=data)
        return await poller.result()
def analyzers(client: ContentUnderstandingClient):
    return client.list_analyzers()
'''
    assert _found(tmp_path, src) == {(4, "azure_content_understanding", "document_analysis", None, False, True)}


def test_resuming_a_content_understanding_analysis_by_its_token_only_polls(tmp_path: Path) -> None:
    src = '''\
from azure.ai.contentunderstanding import ContentUnderstandingClient
def start(client: ContentUnderstandingClient, inputs):
    return client.begin_analyze("prebuilt-invoice", inputs=inputs)
def resume(client: ContentUnderstandingClient, token):
    return client.begin_analyze("prebuilt-invoice", continuation_token=token)
def fresh(client: ContentUnderstandingClient, inputs):
    return client.begin_analyze("prebuilt-invoice", inputs=inputs, continuation_token=None)
'''
    assert {(s.line, s.spends) for s in _sites(tmp_path, src)} == {(3, True), (5, False), (7, True)}


def test_resuming_azure_language_and_document_jobs_by_their_token_only_polls(tmp_path: Path) -> None:
    src = '''\
from azure.ai.textanalytics import TextAnalyticsClient
from azure.ai.documentintelligence import DocumentIntelligenceClient
def summary(ta: TextAnalyticsClient, docs, tok):
    started = ta.begin_abstract_summary(docs)
    return started, ta.begin_analyze_actions(None, None, continuation_token=tok)
def layout(di: DocumentIntelligenceClient, body, tok):
    return di.begin_analyze_document("prebuilt-layout", body), di.begin_analyze_document("prebuilt-layout", None, continuation_token=tok)
'''
    assert {(s.line, s.spends) for s in _sites(tmp_path, src)} == {(4, True), (5, False), (7, True), (7, False)}


def test_xingchen_spark_and_transcribe_streaming_requests_are_found_and_their_reads_are_not(tmp_path: Path) -> None:
    src = '''\
from xingchen import ApiClient, ChatApiSub, Configuration
from sparkdesk_api.core import SparkAPI
from aws_sdk_transcribe_streaming.client import TranscribeStreamingClient
def character(params):
    with ApiClient(Configuration(host="https://nlp.aliyuncs.com")) as api_client:
        return ChatApiSub(api_client).chat(params)
spark = SparkAPI("app", "key", "secret", version=3.1)
def ask(q):
    return spark.chat(q, history=[])
async def listen(client: TranscribeStreamingClient, request):
    return await client.start_stream_transcription(input=request)
async def session(client: TranscribeStreamingClient, request):
    return await client.get_medical_scribe_stream(input=request)
'''
    assert _found(tmp_path, src) == {(6, "xingchen", "chat", None, False, False),
                                     (9, "spark", "chat", None, False, False),
                                     (11, "aws_transcribe", "audio.transcriptions", None, True, True)}


def test_a_callback_stored_and_also_handed_to_another_class_keeps_its_wrapper_sites(tmp_path: Path) -> None:
    """The nested-class reading must not stop a stored callback (`self._send = send_fn`) from being read
    when the same parameter is also handed to another class (`Logger(send_fn)`): found on review."""
    src = '''\
import openai

client = openai.OpenAI()


def send(prompt):
    return client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": prompt}])


class Logger:
    def __init__(self, fn):
        self.fn = fn


class Bot:
    def __init__(self, send_fn):
        self._send = send_fn
        self.log = Logger(send_fn)

    def ask(self, q):
        return self._send(q)


def main():
    return Bot(send).ask("hi")
'''
    sites = _sites(tmp_path, src)
    assert {(s.line, s.kind) for s in sites} == {(7, "direct"), (21, "wrapper"), (25, "wrapper")}
