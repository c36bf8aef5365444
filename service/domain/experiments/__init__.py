"""A/B tests of sequence steps (docs/api.md §18): the split, the results, the verdict."""
