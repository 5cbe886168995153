"""The long tail of paid hosted AI (census of 2026-12-06): OpenAI-compatible vendors named by their host,
the billed paths of paid speech, image, video and translation services, and the SDK surfaces of Deepgram
3.x / 2.x, Runway, Luma, Baidu AI, Tencent ASR and Aliyun NLS. Each family has its billed request (a site
with its provider and API kind) and look-alikes that are not sites: the same path on another host, the
same host's polls and uploads, a free or self-hosted service, a project class of the same name."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tokenlint import catalog
from tokenlint.catalog import build_sdk_catalog
from tokenlint.config import Config
from tokenlint.engine import analyse
from tokenlint.prefilter import http_markers, marker_patterns, sdk_pattern


def _sites(tmp_path: Path, src: str, spending: bool = True):
    p = tmp_path / "app.py"
    p.write_text(src, encoding="utf-8")
    result = analyse([p], Config(), root=tmp_path)
    assert not [f.error for f in result.files if f.error]
    return [(s.provider, s.api) for s in result.sites if s.spends or not spending]


def _post(url: str, body: str = "json={'model': m, 'messages': msgs}") -> str:
    return f"import requests\ndef call(m, msgs, t=None, f=None):\n    return requests.post('{url}', {body})\n"


# OpenAI-compatible and hosted-inference vendors: the generic chat path, the provider from the host.
COMPATIBLE = [
    ("https://api.cerebras.ai/v1/chat/completions", "cerebras"),
    ("https://api.sambanova.ai/v1/chat/completions", "sambanova"),
    ("https://api.novita.ai/v3/openai/chat/completions", "novita"),
    ("https://api.studio.nebius.ai/v1/chat/completions", "nebius"),
    ("https://api.hyperbolic.xyz/v1/chat/completions", "hyperbolic"),
    ("https://api.lambda.ai/v1/chat/completions", "lambda"),
    ("https://api.featherless.ai/v1/chat/completions", "featherless"),
    ("https://api.friendli.ai/serverless/v1/chat/completions", "friendli"),
    ("https://inference.baseten.co/v1/chat/completions", "baseten"),
    ("https://api.upstage.ai/v1/chat/completions", "upstage"),
    ("https://api.writer.com/v1/chat/completions", "writer"),
    ("https://api.ai21.com/studio/v1/chat/completions", "ai21"),
    ("https://api.inceptionlabs.ai/v1/chat/completions", "inception"),
    ("https://api.llama.com/compat/v1/chat/completions", "meta"),
    ("https://api.together.ai/v1/chat/completions", "together"),
    ("https://codestral.mistral.ai/v1/chat/completions", "mistral"),
    ("https://api.poe.com/v1/chat/completions", "poe"),
    ("https://myres.services.ai.azure.com/models/chat/completions", "azure_ai"),
    ("https://models.github.ai/inference/chat/completions", "github_models"),
    ("https://models.inference.ai.azure.com/chat/completions", "github_models"),
    ("https://api-inference.modelscope.cn/v1/chat/completions", "modelscope"),
    ("https://api.ppinfra.com/v3/openai/chat/completions", "ppio"),
    ("https://api.lkeap.cloud.tencent.com/v1/chat/completions", "tencent_lkeap"),
    ("https://api.sensenova.cn/compatible-mode/v1/chat/completions", "sensenova"),
    ("https://maas-api.cn-huabei-1.xf-yun.com/v1/chat/completions", "spark"),
    ("https://ai.gitee.com/v1/chat/completions", "gitee_ai"),
    ("https://cloud.infini-ai.com/maas/v1/chat/completions", "infini_ai"),
    ("https://ark.ap-southeast.bytepluses.com/api/v3/chat/completions", "volcengine"),
    ("https://clovastudio.stream.ntruss.com/v1/openai/chat/completions", "naver_clova"),
]


@pytest.mark.parametrize("url,provider", COMPATIBLE, ids=[c[1] + ":" + c[0].split("/")[2] for c in COMPATIBLE])
def test_an_openai_compatible_vendor_is_named_by_its_host(tmp_path: Path, url: str, provider: str) -> None:
    assert _sites(tmp_path, _post(url)) == [(provider, "chat.completions")]


def test_embeddings_and_reranking_on_a_catalogued_host_name_the_vendor(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def embed(t):\n"
           "    requests.post('https://api.mixedbread.com/v1/embeddings', json={'model': 'mxbai-embed-large-v1', 'input': [t]})\n"
           "    return requests.post('https://api.mixedbread.ai/v1/reranking', json={'model': 'mxbai-rerank-large-v1', 'query': t, 'input': [t]})\n")
    assert _sites(tmp_path, src) == [("mixedbread", "embeddings"), ("mixedbread", "rerank")]


def test_the_same_path_on_a_server_the_user_runs_is_no_vendor(tmp_path: Path) -> None:
    # a look-alike of a catalogued vendor: its path on a local server keeps no vendor's name
    sites = _sites(tmp_path, _post("http://localhost:8000/v1/chat/completions"))
    assert all(p not in {c[1] for c in COMPATIBLE} for p, _api in sites)


# Paid services' billed paths: (url, body, (provider, api)).
BILLED = [
    ("https://api.rev.ai/speechtotext/v1/jobs", "json={'source_config': {'url': t}}", ("rev_ai", "audio.transcriptions")),
    ("https://asr.api.speechmatics.com/v2/jobs", "files={'data_file': f}, data={'config': t}", ("speechmatics", "audio.transcriptions")),
    ("https://api.fish.audio/v1/tts", "json={'text': t, 'reference_id': 'r'}", ("fish_audio", "audio.speech")),
    ("https://api.fish.audio/v1/asr", "files={'audio': f}", ("fish_audio", "audio.transcriptions")),
    ("https://api.cartesia.ai/tts/bytes", "json={'transcript': t, 'model_id': 'sonic-2'}", ("cartesia", "audio.speech")),
    ("https://api.cartesia.ai/stt", "files={'file': f}, data={'model': 'ink-whisper'}", ("cartesia", "audio.transcriptions")),
    ("https://api.play.ht/api/v2/tts/stream", "json={'text': t, 'voice': 'v'}", ("playht", "audio.speech")),
    ("https://api.lmnt.com/v1/ai/speech/bytes", "json={'text': t, 'voice': 'ava'}", ("lmnt", "audio.speech")),
    ("https://f.cluster.resemble.ai/synthesize", "json={'voice_uuid': 'v', 'data': t}", ("resemble", "audio.speech")),
    ("https://nls-gateway-cn-shanghai.aliyuncs.com/stream/v1/tts", "json={'appkey': 'a', 'text': t}", ("aliyun_nls", "audio.speech")),
    ("https://nls-gateway-cn-shanghai.aliyuncs.com/stream/v1/asr", "data=f", ("aliyun_nls", "audio.transcriptions")),
    ("https://tsn.baidu.com/text2audio", "data={'tex': t, 'lan': 'zh'}", ("baidu_ai", "audio.speech")),
    ("https://vop.baidu.com/server_api", "json={'format': 'pcm', 'speech': t}", ("baidu_ai", "audio.transcriptions")),
    ("https://speech.googleapis.com/v1/speech:recognize", "json={'config': {}, 'audio': {'content': t}}", ("google_cloud_speech", "audio.transcriptions")),
    ("https://speech.googleapis.com/v2/projects/p/locations/global/recognizers/_:recognize", "json={'content': t}", ("google_cloud_speech", "audio.transcriptions")),
    ("https://api.ideogram.ai/v1/ideogram-v3/generate", "json={'prompt': t}", ("ideogram", "images")),
    ("https://api.bfl.ai/v1/flux-pro-1.1", "json={'prompt': t}", ("bfl", "images")),
    ("https://api.dev.runwayml.com/v1/image_to_video", "json={'model': 'gen4_turbo', 'promptText': t}", ("runway", "video")),
    ("https://api.lumalabs.ai/dream-machine/v1/generations", "json={'prompt': t, 'model': 'ray-2'}", ("luma", "video")),
    ("https://api-singapore.klingai.com/v1/videos/text2video", "json={'prompt': t, 'model_name': 'kling-v2'}", ("kling", "video")),
    ("https://api.minimaxi.com/v1/video_generation", "json={'prompt': t, 'model': 'MiniMax-Hailuo-02'}", ("minimax", "video")),
    ("https://ark.cn-beijing.volces.com/api/v3/contents/generations/tasks", "json={'model': 'seedance', 'content': [t]}", ("volcengine", "video")),
    ("https://api.siliconflow.cn/v1/video/submit", "json={'model': 'Wan-AI/Wan2.1-T2V-14B', 'prompt': t}", ("siliconflow", "video")),
    ("https://open.bigmodel.cn/api/paas/v4/videos/generations", "json={'model': 'cogvideox', 'prompt': t}", ("zhipuai", "video")),
    ("https://api.openai.com/v1/videos", "json={'model': 'sora-2', 'prompt': t}", ("openai", "video")),
    ("https://cloud.leonardo.ai/api/rest/v1/generations", "json={'prompt': t, 'modelId': 'm'}", ("leonardo", "images")),
    ("https://mj.example-proxy.com/mj/submit/imagine", "json={'prompt': t}", ("midjourney", "images")),
    ("https://vision.googleapis.com/v1/images:annotate", "json={'requests': [t]}", ("google_cloud_vision", "image_analysis")),
    ("https://aip.baidubce.com/rest/2.0/ocr/v1/general_basic", "data={'image': t}", ("baidu_ai", "document_analysis")),
    ("https://fanyi-api.baidu.com/api/trans/vip/translate", "data={'q': t, 'from': 'en', 'to': 'zh'}", ("baidu_fanyi", "translation")),
    ("https://api.niutrans.com/NiuTransServer/translation", "data={'src_text': t, 'from': 'en', 'to': 'zh'}", ("niutrans", "translation")),
    ("https://clovastudio.stream.ntruss.com/testapp/v1/chat-completions/HCX-003", "json={'messages': [t]}", ("naver_clova", "chat.completions")),
    ("https://clovastudio.apigw.ntruss.com/testapp/v1/api-tools/embedding/clir-emb-dolphin", "json={'text': t}", ("naver_clova", "embeddings")),
    ("https://papago.apigw.ntruss.com/nmt/v1/translation", "data={'source': 'ko', 'target': 'en', 'text': t}", ("papago", "translation")),
    ("https://mt.cn-hangzhou.aliyuncs.com/", "data={'Action': 'TranslateGeneral', 'SourceText': t}", ("aliyun_mt", "translation")),
    ("https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1:0/invoke", "json={'messages': [t]}", ("aws_bedrock", "chat")),
    ("https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/google/models/text-embedding-004:predict", "json={'instances': [t]}", ("google", "predictions")),
]


@pytest.mark.parametrize("url,body,expected", BILLED, ids=[e[2][0] + ":" + e[0].split("/", 3)[3][:30] for e in BILLED])
def test_a_billed_request_to_a_long_tail_service_is_a_site(tmp_path: Path, url: str, body: str, expected) -> None:
    assert _sites(tmp_path, _post(url, body)) == [expected]


def test_a_websocket_to_a_paid_speech_service_is_a_site(tmp_path: Path) -> None:
    src = ("import websocket\n"
           "def speak(on_message):\n"
           "    url = 'wss://tts-api.xfyun.cn/v2/tts'\n"
           "    ws = websocket.WebSocketApp(url + '?authorization=a', on_message=on_message)\n"
           "    ws.run_forever()\n")
    assert _sites(tmp_path, src) == [("iflytek", "audio.speech")]


LOOK_ALIKES = [
    "https://api.rev.ai/speechtotext/v1/account",  # reads the account
    "https://api.dev.runwayml.com/v1/uploads",  # stores a file
    "https://api.fish.audio/model",  # creates a voice model: account setup
    "https://api.cartesia.ai/voices/clone",  # clones a voice: account setup
    "https://api.example.com/v1/videos/text2video",  # Kling's path on another host
    "https://example.org/speechtotext/v1/jobs",  # Rev's path on another host
    "https://speech.googleapis.com/v2/projects/p/locations/global/recognizers",  # creates a recognizer
    "https://translate.example.org/api/trans/vip/translate",  # Baidu's path on a free look-alike
    "https://example.com/NiuTransServer/translation",  # a self-hosted NiuTrans server
]


@pytest.mark.parametrize("url", LOOK_ALIKES)
def test_look_alike_paths_and_hosts_are_not_sites(tmp_path: Path, url: str) -> None:
    assert _sites(tmp_path, _post(url, "json={'x': t}")) == []


def test_a_get_that_polls_a_video_job_is_not_a_site(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def poll(job):\n"
           "    requests.get(f'https://api.lumalabs.ai/dream-machine/v1/generations/{job}')\n"
           "    return requests.get('https://api.bfl.ai/v1/get_result', params={'id': job})\n")
    assert _sites(tmp_path, src) == []


# SDKs.
def test_deepgram_3_routers_build_the_versioned_client_that_sends(tmp_path: Path) -> None:
    src = ("from deepgram import DeepgramClient, PrerecordedOptions\n"
           "def go(buf, text):\n"
           "    dg = DeepgramClient('k')\n"
           "    dg.listen.rest.v('1').transcribe_file({'buffer': buf}, PrerecordedOptions(model='nova-2'))\n"
           "    dg.listen.prerecorded.v('1').transcribe_url({'url': 'u'}, {'model': 'nova-2'})\n"
           "    dg.speak.rest.v('1').save('out.mp3', {'text': text}, {'model': 'aura-asteria-en'})\n"
           "    live = dg.listen.websocket.v('1')\n"
           "    live.start({'model': 'nova-2'})\n"
           "    dg.manage.v('1').get_projects()\n"  # account management: no request
           "async def ago(buf):\n"
           "    dg = DeepgramClient('k')\n"
           "    return await dg.listen.asyncrest.v('1').transcribe_file({'buffer': buf})\n")
    assert _sites(tmp_path, src) == [("deepgram", "audio.transcriptions"), ("deepgram", "audio.transcriptions"),
                                     ("deepgram", "audio.speech"), ("deepgram", "audio.transcriptions"),
                                     ("deepgram", "audio.transcriptions")]


def test_deepgram_2_transcription_is_a_site(tmp_path: Path) -> None:
    src = ("from deepgram import Deepgram\n"
           "async def go(source):\n"
           "    dg = Deepgram('k')\n"
           "    return await dg.transcription.prerecorded(source, {'punctuate': True})\n"
           "def sync(source):\n"
           "    return Deepgram('k').transcription.sync_prerecorded(source, {})\n")
    assert _sites(tmp_path, src) == [("deepgram", "audio.transcriptions")] * 2


def test_runway_and_luma_bill_their_generations_not_their_polls(tmp_path: Path) -> None:
    src = ("from runwayml import RunwayML\n"
           "from lumaai import LumaAI\n"
           "def run(img, t):\n"
           "    rw = RunwayML()\n"
           "    task = rw.image_to_video.create(model='gen4_turbo', prompt_image=img, prompt_text=t)\n"
           "    rw.tasks.retrieve(task.id)\n"  # a poll
           "    luma = LumaAI()\n"
           "    g = luma.generations.create(prompt=t, model='ray-2')\n"
           "    luma.generations.get(g.id)\n"  # a poll
           "    return luma.generations.image.create(prompt=t, model='photon-1')\n")
    assert _sites(tmp_path, src) == [("runway", "video"), ("luma", "video"), ("luma", "images")]


def test_the_chinese_speech_and_ocr_sdks_bill_recognition_and_synthesis(tmp_path: Path) -> None:
    src = ("from aip import AipSpeech, AipOcr\n"
           "import nls\n"
           "from tencentcloud.asr.v20190614 import asr_client, models\n"
           "def go(audio, image, text, cred):\n"
           "    AipSpeech('1', 'k', 's').synthesis(text, 'zh', 1, {'vol': 5})\n"
           "    AipSpeech('1', 'k', 's').asr(audio, 'pcm', 16000, {'dev_pid': 1537})\n"
           "    AipOcr('1', 'k', 's').basicGeneral(image)\n"
           "    tts = nls.NlsSpeechSynthesizer(url='wss://nls-gateway.aliyuncs.com/ws/v1', token='t', appkey='a')\n"
           "    tts.start(text, voice='xiaoyun')\n"
           "    client = asr_client.AsrClient(cred, 'ap-shanghai')\n"
           "    client.DescribeTaskStatus(models.DescribeTaskStatusRequest())\n"  # a poll
           "    return client.SentenceRecognition(models.SentenceRecognitionRequest())\n")
    assert _sites(tmp_path, src) == [("baidu_ai", "audio.speech"), ("baidu_ai", "audio.transcriptions"),
                                     ("baidu_ai", "document_analysis"), ("aliyun_nls", "audio.speech"),
                                     ("tencent_asr", "audio.transcriptions")]


def test_a_project_class_of_a_catalogued_name_is_no_sdk(tmp_path: Path) -> None:
    src = ("class AipSpeech:\n"
           "    def synthesis(self, text):\n"
           "        return text.upper()\n"
           "class LumaAI:\n"
           "    class generations:\n"
           "        @staticmethod\n"
           "        def create(prompt):\n"
           "            return prompt\n"
           "def go(t):\n"
           "    AipSpeech().synthesis(t)\n"
           "    return LumaAI.generations.create(prompt=t)\n")
    assert _sites(tmp_path, src) == []


def test_the_prefilter_marks_files_of_the_new_sdks_and_hosts_only() -> None:
    cat = build_sdk_catalog()
    pat = sdk_pattern(cat)
    assert pat.search(b"from runwayml import RunwayML\n")
    assert pat.search(b"from aip import AipSpeech\n")
    assert pat.search(b"import nls\nnls.NlsSpeechSynthesizer(url=u)\n")
    # Speechmatics' clients have names every websocket or batch library uses: its package marks the file
    assert pat.search(b"from speechmatics.batch_client import BatchClient\n")
    assert not pat.search(b"class WebsocketClient:\n    pass\nclass BatchClient:\n    pass\n")
    _libs, frags = http_markers(cat)
    # every URL fragment is specific to a service: none is a common word or a short path that every web
    # app's text holds (TEI's `/embed`, older than this census, is read only with its body's keys)
    assert {f for f in frags if len(f) < 7} <= {b"/embed"}
    for common in (b"/api", b"/start", b"/tts", b"/predict", b"ark.", b"mt."):
        assert common not in frags
    # nor a method path every library has (LMNT's async `speech.sessions.create` is left out for that)
    words, _mods = marker_patterns(cat)
    assert "sessions.create" not in words and "start" not in words and "v.save" not in words


def test_every_new_entry_names_its_source_and_date() -> None:
    cat = build_sdk_catalog()
    new = ("runwayml", "lumaai", "baidu-aip", "tencentcloud-asr", "aliyun-nls-tts", "aliyun-nls-asr", "deepgram-v2",
           "deepgram-v3-listen-rest", "deepgram-v3-speak-rest", "deepgram-v3-live")
    for name in new:
        ct = cat.client_types[name]
        assert ct.source and ct.checked, name
    data = tomllib.loads((Path(catalog.__file__).parent / "sdks.toml").read_text(encoding="utf-8"))
    assert all(ep.get("source") for ep in data["http"]["endpoint"])


def test_the_speech_and_embedding_sdks_bill_their_requests_not_their_reads(tmp_path: Path) -> None:
    src = ("from rev_ai.apiclient import RevAiAPIClient\n"
           "from speechmatics.batch_client import BatchClient\n"
           "from mixedbread import Mixedbread\n"
           "from lmnt import Lmnt\n"
           "from pyht import Client\n"
           "def go(url, path, text, cfg):\n"
           "    rev = RevAiAPIClient('token')\n"
           "    job = rev.submit_job_url(url)\n"
           "    rev.get_transcript_text(job.id)\n"  # a read
           "    with BatchClient(cfg) as sm:\n"
           "        sm.submit_job(path, None)\n"
           "        sm.list_jobs()\n"  # a listing
           "    mx = Mixedbread(api_key='k')\n"
           "    mx.embed(model='mixedbread-ai/mxbai-embed-large-v1', input=[text])\n"
           "    mx.rerank(model='mixedbread-ai/mxbai-rerank-large-v2', query=text, input=[text])\n"
           "    Lmnt().speech.generate(text=text, voice='leah', model='blizzard')\n"
           "    return Client('uid', 'key').tts(text, None, voice_engine='Play3.0-mini-http')\n")
    assert _sites(tmp_path, src) == [("rev_ai", "audio.transcriptions"), ("speechmatics", "audio.transcriptions"),
                                     ("mixedbread", "embeddings"), ("mixedbread", "rerank"), ("lmnt", "audio.speech"),
                                     ("playht", "audio.speech")]


def test_a_project_client_class_named_client_is_not_playht(tmp_path: Path) -> None:
    src = ("class Client:\n"
           "    def tts(self, text):\n"
           "        return text\n"
           "def go(text):\n"
           "    return Client().tts(text)\n")
    assert _sites(tmp_path, src) == []


# A service billing a GET (its request a query string): the GET is the request there, and nowhere else.
def test_a_get_to_a_service_billing_gets_is_a_site(tmp_path: Path) -> None:
    src = ("import requests, httpx\n"
           "def trans(q, appid, salt, sign):\n"
           "    url = f'http://api.fanyi.baidu.com/api/trans/vip/translate?q={q}&from=auto&to=zh&appid={appid}&salt={salt}&sign={sign}'\n"
           "    requests.get(url)\n"
           "    httpx.get('https://translation.googleapis.com/language/translate/v2', params={'q': q, 'target': 'de'})\n"
           "    with requests.Session() as s:\n"
           "        return s.get('https://fanyi-api.baidu.com/api/trans/vip/translate', params={'q': q})\n")
    assert _sites(tmp_path, src) == [("baidu_fanyi", "translation"), ("google_cloud_translate", "translation"),
                                     ("baidu_fanyi", "translation")]


def test_a_get_elsewhere_polls_lists_or_reads(tmp_path: Path) -> None:
    src = ("import requests\n"
           "def poll(job, cache, q):\n"
           "    requests.get('https://api.openai.com/v1/chat/completions')\n"  # not how the API bills
           "    requests.get('https://translation.googleapis.com/language/translate/v2/languages')\n"  # lists
           "    requests.get(f'https://api.ideogram.ai/v1/jobs/{job}')\n"  # a billed host's read
           "    requests.get('https://fanyi.baidu.com/v2transapi', params={'query': q})\n"  # the free web page
           "    return cache.get('https://fanyi-api.baidu.com/api/trans/vip/translate')\n")  # a dict's get
    assert _sites(tmp_path, src) == []
