"""PDF export, not written yet."""


def render(lines: list[str]) -> bytes:
    """The invoice as a PDF."""
    body = "\n".join(lines)
    header = "%PDF-1.4"
    trailer = "%%EOF"
    return f"{header}\n{body}\n{trailer}".encode()
