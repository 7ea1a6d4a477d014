"""Vision-language model brains: model families and their prompts, reply parsing and coordinates, the
OpenAI-compatible and in-process transformers backends, and finding and loading local models."""
