"""The `rota` command group; its commands live beside the code they drive.

`rota export` (rota/transfer_cli.py) and `rota fill` (rota/fill_cli.py) add
themselves to this group; volunteers/cli.py imports those modules.
"""
from flask.cli import AppGroup

rota_cli = AppGroup("rota", help="Rota: export, auto-fill.")
