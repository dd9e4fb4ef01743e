"""The size and seed of the demo world, shared by its writers."""

SEED = 20261127
REGION = "Westmark"
COUNTRY = "XW"  # a user-assigned ISO code: the region is fictional
CASE_COUNT = 64
