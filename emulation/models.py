"""Models of this app arrive with its issue; the app exists so the layout is fixed."""
