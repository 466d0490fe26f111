"""The distributed engine (Ray) for corpora beyond one machine."""
