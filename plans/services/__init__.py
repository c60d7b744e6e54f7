"""Every write to plans, one module per business area; nothing else in the app writes."""
