"""The JSON API's OpenAPI document (`/docs?format=json`) and its Swagger UI (`/docs`), built on request.

Powertools' `enable_swagger` imports its OpenAPI models (a tree of pydantic models, about a tenth of the
intake function's import) when the handler module loads, so every cold start paid for a page that almost
no request asks for. These are the same Powertools pieces, imported when `/docs` is asked for."""

from __future__ import annotations

from pathlib import Path

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response


def page(app: APIGatewayHttpResolver, title: str, description: str) -> Response[str]:
    from aws_lambda_powertools.event_handler.openapi import swagger_ui

    # The HTTP API serves its $default stage at the root: Powertools' default server ("/") is the right one.
    # As Powertools does: a "</" in the document must not end the page's <script> ("<\\/" is the same JSON).
    spec = app.get_openapi_json_schema(title=title, description=description).replace("</", "<\\/")
    query = app.current_event.query_string_parameters or {}
    if query.get("format") == "json":
        return Response(200, "application/json", spec)
    assets = Path(swagger_ui.__file__).parent
    body = swagger_ui.generate_swagger_html(
        spec,
        (assets / "swagger-ui-bundle.min.js").read_text(encoding="utf-8"),
        (assets / "swagger-ui.min.css").read_text(encoding="utf-8"),
        "",
        None,
    )
    return Response(200, "text/html", body)
