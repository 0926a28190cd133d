"""Capacity-aware evacuation assignment: people to shelters over the road network."""
