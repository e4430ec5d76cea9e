"""storyline.evaluate"""
