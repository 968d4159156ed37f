from faq_engine import create_app

app = create_app()
