"""Catalog additions after round 14's review (post17d): the OpenAI Agents SDK's voice pipeline run, LiveKit
Agents' model plugins (bindings), on made-up projects, and each entry's provenance."""

from __future__ import annotations

import pytest

from projects import analysed_sites

from tokenlint.catalog import builtin_framework_data


def test_voice_pipeline_run_is_a_request_and_its_construction_is_not(tmp_path):
    sites = analysed_sites(tmp_path, {"talk.py": (
        "from agents import Agent\n"
        "from agents.voice import AudioInput, SingleAgentVoiceWorkflow, VoicePipeline\n"
        "\n"
        "agent = Agent(name=\"helper\", instructions=\"Answer.\", model=\"gpt-4o-mini\")\n"
        "\n"
        "\n"
        "async def turn(buffer):\n"
        "    pipeline = VoicePipeline(workflow=SingleAgentVoiceWorkflow(agent))\n"
        "    return await pipeline.run(AudioInput(buffer=buffer))\n"
    )})
    requests = [(s.line, s.sdk, s.model.value) for s in sites if s.kind == "request"]
    # constructing the pipeline sends nothing; its run is a request on the workflow's agent's model
    assert requests == [(9, "openai_agents", "gpt-4o-mini")]


LIVEKIT_APP = {"voice.py": (
    "from livekit.agents import AgentSession, JobContext\n"
    "from livekit.plugins import deepgram, openai\n"
    "\n"
    "\n"
    "async def entrypoint(ctx: JobContext):\n"
    "    session = AgentSession(\n"
    "        stt=deepgram.STT(),\n"
    "        llm=openai.LLM(model=\"gpt-4o\"),\n"
    "        tts=openai.TTS(voice=\"ash\"),\n"
    "    )\n"
    "    await session.start(room=ctx.room)\n"
)}


@pytest.mark.parametrize("line, provider, model", [(7, "deepgram", "nova-3"), (8, "openai", "gpt-4o"),
                                                   (9, "openai", "gpt-4o-mini-tts")])
def test_livekit_model_plugins_are_bindings(tmp_path, line, provider, model):
    sites = {s.line: s for s in analysed_sites(tmp_path, LIVEKIT_APP)}
    site = sites[line]
    assert (site.kind, site.provider, site.model.value) == ("binding", provider, model)


def test_livekit_session_and_its_runs_are_no_sites(tmp_path):
    sites = analysed_sites(tmp_path, LIVEKIT_APP)
    assert sorted(s.line for s in sites) == [7, 8, 9]  # constructing the session, starting it: not listed


def test_a_project_class_named_like_a_plugin_is_no_binding(tmp_path):
    sites = analysed_sites(tmp_path, {"tts.py": (
        "class TTS:\n"
        "    def __init__(self, voice):\n"
        "        self.voice = voice\n"
        "\n"
        "\n"
        "speaker = TTS(voice=\"ash\")\n"
    )})
    assert sites == []


def test_post17d_entries_carry_a_source_and_a_date():
    data = builtin_framework_data()
    entries = [f for f in data["framework"] if f["name"] == "livekit"] + \
              [s for s in data["sdk"] if s["name"] == "livekit"]
    assert len(entries) == 2
    assert all(e.get("source") and e.get("checked") == "2026-12-07" for e in entries)
    agents = next(f for f in data["framework"] if f["name"] == "openai_agents")
    assert "agents.voice.VoicePipeline" in agents["runners"]
