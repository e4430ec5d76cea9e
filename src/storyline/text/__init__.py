"""Text stage: sentence splitting with offsets, and exact / near-duplicate detection."""
