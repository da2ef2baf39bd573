"""The API's request and response shapes (marshmallow), one module per resource: they validate input and
write the OpenAPI document."""
