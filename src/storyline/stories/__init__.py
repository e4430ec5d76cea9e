"""storyline.stories"""
