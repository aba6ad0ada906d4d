"""``GET /api/v1/openapi.json``: the OpenAPI 3.1 document of the whole API v1, generated
from the operations' declarations (``educational.api.openapi``)."""

from flask import current_app, jsonify

from educational.core.permissions import public

from ..openapi import openapi_document, operation
from . import bp


@bp.get("/openapi.json")
@public
@operation(
    "getOpenApi",
    "This document.",
    responds=None,
    ok="The OpenAPI 3.1 document.",
    errors=("401", "429"),
)
def openapi():
    response = jsonify(openapi_document(current_app.config["PUBLIC_URL"] + bp.url_prefix))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
