"""storyline.timeline"""
