"""A realistic generated labour-market region with history, for the demo, tests and benchmarks."""

from demo.generate import GenerationSummary, generate_region, load_world
from demo.world import World, build_world, true_durable_probability

__all__ = [
    "GenerationSummary",
    "World",
    "build_world",
    "generate_region",
    "load_world",
    "true_durable_probability",
]
