"""The baseline: a minimal Flask app with one JSON POST endpoint, no database, no extensions.

Served by gunicorn with exactly the settings EventMate gets, it measures what the server, the
framework and the load generator cost on their own, so the scan endpoint can be compared to it.
"""

from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/api/echo")
def echo():
    body = request.get_json(silent=True) or {}
    return jsonify(ok=True, id=body.get("id"))
