"""Peer support: supported people (cases), their contacts, the contact plan and what is due.

Flask-free public names only (DESIGN.md, "Peer support").
"""
