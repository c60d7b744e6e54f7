"""The published schema documents every status the API can answer and its ranges (issue 12)."""

from drf_spectacular.generators import SchemaGenerator

WRITES = {"post", "put", "patch", "delete"}


def published_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_every_error_status_with_a_body():
    schema = published_schema()
    checked = 0
    for path, method, operation in operations(schema):
        codes = set(operation["responses"])
        expected = {"400", "404", "429", "503"} | ({"409", "415"} if method in WRITES else set())
        if path != "/api/v1/auth/token/":
            expected |= {"401", "403"}
        assert expected <= codes, (method, path, sorted(codes))
        throttled = operation["responses"]["429"]
        assert "Retry-After" in throttled["headers"]
        assert throttled["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
        checked += 1
    assert checked >= 50
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail"]


def test_writes_take_json_and_only_imports_take_files():
    for path, method, operation in operations(published_schema()):
        if "requestBody" not in operation:
            continue
        media = set(operation["requestBody"]["content"])
        expected = {"multipart/form-data"} if path.endswith("/import/") else {"application/json"}
        assert media == expected, (method, path, media)


def test_ranges_and_ids_are_stated():
    schema = published_schema()
    found = {}
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["in"] == "path":
                assert parameter["schema"]["type"] == "integer", (path, parameter)
            if path.endswith("/suggestions/") and parameter["name"] == "step":
                found["query"] = parameter["schema"]
    step = schema["components"]["schemas"]["ApplySuggestionsRequest"]["properties"]["step"]
    assert (found["query"]["minimum"], found["query"]["maximum"]) == (0.1, 5)
    assert (float(step["minimum"]), float(step["maximum"])) == (0.1, 5)
