"""The demo site's pages, one module per area (shop, reviews, checkout, express checkout, mail, bank,
social, pay, international, account); each exports ``ROUTES``."""
