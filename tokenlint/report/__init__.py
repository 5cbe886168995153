"""Renderers: findings (text, json) and the inventory (text, json, csv, markdown). They never analyse."""
