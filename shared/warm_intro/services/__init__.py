"""Application services: each takes plain values plus the adapters it needs, and calls the domain."""
