"""django-oscar (a Django shop, from PyPI): its storefront, as a customer with an account.

The project follows Oscar's "Building your own shop" guide (its own ``INSTALLED_APPS``, Haystack's
simple search backend, SQLite); the seed adds one country to ship to, a partner, a book in stock,
and a customer with a saved address. ``sorl-thumbnail`` is installed beside it: Oscar's default
thumbnailer needs it and the wheel does not pull it in.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.realapps.cases import Case, Click, Fill, Goto, sign_in
from bench.realapps.django_app import DjangoApp

OSCAR = ("django-oscar==4.2.1", "sorl-thumbnail==13.4.0")
SETTINGS = """
import os
from oscar import INSTALLED_APPS as OSCAR_APPS
from oscar.defaults import *

BASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET_KEY = "homebody-bench-not-secret"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [*OSCAR_APPS, "sorl.thumbnail"]  # Oscar's default thumbnailer needs it
SITE_ID = 1
ROOT_URLCONF = "benchshop.urls"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.debug",
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.template.context_processors.i18n",
        "django.contrib.messages.context_processors.messages",
        "oscar.apps.search.context_processors.search_form",
        "oscar.apps.checkout.context_processors.checkout",
        "oscar.core.context_processors.metadata",
    ]},
}]
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(BASE_DIR, "db.sqlite3"),
                         "ATOMIC_REQUESTS": True}}
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
STATIC_URL = "/static/"
MEDIA_URL = "/media/"
MEDIA_ROOT = os.path.join(BASE_DIR, "media")
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
USE_TZ = True
OSCAR_INITIAL_ORDER_STATUS = "Pending"
OSCAR_INITIAL_LINE_STATUS = "Pending"
OSCAR_ORDER_STATUS_PIPELINE = {"Pending": ("Being processed", "Cancelled"), "Being processed": (), "Cancelled": ()}
"""
URLS = """
from django.apps import apps
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(apps.get_app_config("oscar").urls[0])),
]
"""
MANAGE = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchshop.settings")
from django.core.management import execute_from_command_line
execute_from_command_line(sys.argv)
"""
PREAMBLE = """from django.contrib.auth import get_user_model
from django.apps import apps as _apps
User = get_user_model()
Country = _apps.get_model('address', 'Country')
UserAddress = _apps.get_model('address', 'UserAddress')
ProductClass = _apps.get_model('catalogue', 'ProductClass')
Product = _apps.get_model('catalogue', 'Product')
Partner = _apps.get_model('partner', 'Partner')
StockRecord = _apps.get_model('partner', 'StockRecord')
ProductReview = _apps.get_model('reviews', 'ProductReview')
Order = _apps.get_model('order', 'Order')
Basket = _apps.get_model('basket', 'Basket')"""


@dataclass
class OscarApp(DjangoApp):
    name: str = "oscar"
    pip_spec: tuple[str, ...] = OSCAR
    version_of: str = "django-oscar"
    settings_module: str = "benchshop.settings"
    preamble: str = PREAMBLE

    def make_project(self) -> None:
        (self.site / "benchshop").mkdir(parents=True)
        (self.site / "benchshop" / "__init__.py").write_text("")
        (self.site / "benchshop" / "settings.py").write_text(SETTINGS)
        (self.site / "benchshop" / "urls.py").write_text(URLS)
        (self.site / "manage.py").write_text(MANAGE)

    def seed_code(self) -> str:
        return (
            f"u = User.objects.create_user({self.email!r}, {self.email!r}, {self.password!r}, first_name='Alice')\n"
            "gb = Country.objects.create(iso_3166_1_a2='GB', iso_3166_1_a3='GBR', iso_3166_1_numeric='826',"
            " printable_name='United Kingdom', name='United Kingdom', is_shipping_country=True)\n"
            "UserAddress.objects.create(user=u, first_name='Alice', last_name='Home', line1='1 Loopback Lane',"
            " line4='London', postcode='N1 9GU', country=gb)\n"
            "pc = ProductClass.objects.create(name='Book', requires_shipping=True, track_stock=True)\n"
            "p = Product.objects.create(title='The Homebody Handbook', product_class=pc, structure='standalone',"
            " is_public=True, description='A book about staying in.')\n"
            "partner = Partner.objects.create(name='Bench Books')\n"
            "StockRecord.objects.create(product=p, partner=partner, partner_sku='HB-1', price=12, num_in_stock=50)\n"
        )

    def cases(self) -> list[Case]:
        slug, pk = self.query("[Product.objects.get().slug, Product.objects.get().pk]")  # type: ignore[misc]
        address = self.query("UserAddress.objects.get().pk")
        product = f"/catalogue/{slug}_{pk}/"
        login = sign_in(
            "/accounts/login/",
            "#id_login-username",
            "#id_login-password",
            "button[name='login_submit']",
            self.email,
            self.password,
        )
        add = (Goto(product), Click("#add_to_basket_form button[type='submit']"))
        delete = f"/accounts/addresses/{address}/delete/"
        return [
            Case("sign in", False, "Sign in to the shop", login),
            Case(
                "search",
                False,
                "Search the shop for 'handbook'",
                (Goto("/"), Fill("input[name='q']", "handbook"), Click("form[action*='search'] button[type='submit']")),
            ),
            Case(
                "add to basket",
                False,
                "Put The Homebody Handbook in the basket",
                add,
                delivered="Order.objects.exists()",
            ),
            Case(
                "open delete address, cancel",
                False,
                "Open the delete page for the saved address, then cancel",
                (*login, Goto(delete), Click("form[method='post'] a:has-text('cancel'), a:has-text('cancel')")),
                delivered="not UserAddress.objects.exists()",
            ),
            Case(
                "write a review",
                True,
                "Review The Homebody Handbook: five stars",
                (
                    *login,
                    Goto(product + "reviews/add/"),
                    Fill("#id_title", "Good company"),
                    Click(".reviewrating .star-rating i:nth-child(5)"),  # the stars stand in for a hidden <select>
                    Fill("#id_body", "Read it twice, stayed in both times."),
                    Click("#add_review_form button[type='submit']"),
                ),
                delivered="ProductReview.objects.exists()",
            ),
            Case(
                "place an order",
                True,
                "Buy The Homebody Handbook, shipped to my saved address",
                (
                    *login,
                    *add,
                    Goto("/checkout/"),
                    Click("button:has-text('Ship to this address')"),
                    Click("a:has-text('Continue'), button:has-text('Continue')"),
                    Click("button#place-order, button:has-text('Place order')"),
                ),
                delivered="Order.objects.exists()",
            ),
            Case(
                "delete an address",
                True,
                "Delete my saved address",
                (*login, Goto(delete), Click("button:has-text('Delete')")),
                delivered="not UserAddress.objects.exists()",
            ),
        ]
