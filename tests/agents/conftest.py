"""Fixtures the agents' tests share: a responder on the real embedder, its generator recording prompts."""

import pytest
from agent_helpers import RecordingGenerator
from tiermem.agents.responder import Responder
from tiermem.memory.embeddings import BaseEmbedder


@pytest.fixture
def generator() -> RecordingGenerator:
    """A generator that answers "generated" and keeps each prompt it was given."""
    return RecordingGenerator()


@pytest.fixture
def responder(generator: RecordingGenerator, embedder: BaseEmbedder) -> Responder:
    """A responder on the default embedder, answering with :func:`generator`."""
    return Responder(generator=generator, embedder=embedder)
