"""Sonae map rendering: city maps that work offline on closed municipal networks."""

from sonae_maps.assets import ASSET_URL_PREFIX, assets_installed, inline_assets, vendor_dir
from sonae_maps.city_map import build_city_map
from sonae_maps.layers import CityLayers

__all__ = [
    "ASSET_URL_PREFIX",
    "CityLayers",
    "assets_installed",
    "build_city_map",
    "inline_assets",
    "vendor_dir",
]
