"""API schemas: XCreate / XPublic / XsPublic(data, count); rows never reach clients."""
