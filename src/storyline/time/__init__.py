"""storyline.time"""
