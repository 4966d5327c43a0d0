"""What people see: email messages and HTML pages, rendered from templates with autoescaping."""
