"""The OpenAPI document is valid and describes exactly the routes of the `api` blueprint."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

PREFIX = "/api/v1"
IGNORED_METHODS = {"HEAD", "OPTIONS"}


def test_the_document_is_valid_openapi(client):
    response = client.get(PREFIX + "/openapi.json")  # no credentials needed
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    validate(document)
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["cookieAuth"]["in"] == "cookie"
    assert "Error" in document["components"]["schemas"]


def test_the_document_lists_every_api_route(app, client):
    document = client.get(PREFIX + "/openapi.json").get_json()
    documented = {(path, method.upper()) for path, item in document["paths"].items()
                  for method in item if method in ("get", "post", "put", "patch", "delete")}
    routed = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        assert rule.rule.startswith(PREFIX)
        path = re.sub(r"<(?:[a-z]+:)?(\w+)>", r"{\1}", rule.rule[len(PREFIX):])
        routed |= {(path, m) for m in rule.methods - IGNORED_METHODS}
    assert documented == routed


def test_every_operation_documents_its_errors(client):
    document = client.get(PREFIX + "/openapi.json").get_json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("operationId"), (path, method)
            assert any(code.startswith("2") for code in operation["responses"]), (path, method)
            if operation.get("security") == []:
                continue  # the document itself is public
            errors = {code: r for code, r in operation["responses"].items()
                      if code.startswith("4")}
            assert "401" in errors, (path, method)
            for response in errors.values():
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}, (path, method)
