"""Test helpers: throwaway databases, signed clients, running servers."""
