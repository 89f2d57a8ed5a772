"""figgen's drawing vocabulary: one style and a few primitives shared by every figure."""
