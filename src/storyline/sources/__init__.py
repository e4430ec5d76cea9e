"""storyline.sources"""
