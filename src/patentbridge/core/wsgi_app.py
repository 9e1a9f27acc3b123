"""The WSGI application used by ``patentbridge serve``."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
