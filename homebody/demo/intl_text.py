"""The wording of the international product pages, one ``Locale`` per language.

Each language also picks how its buy and send controls are marked up, so the set as a whole has
every kind for both: ``button`` (a ``<button>``), ``submit`` (an ``<input type=submit>`` in a form
that posts), ``link`` (an ``<a role=button>``) and ``div`` (a ``<div role=button tabindex=0>``).
"""

from __future__ import annotations

from dataclasses import dataclass

MARKUPS = frozenset({"button", "submit", "link", "div"})


@dataclass(frozen=True, slots=True)
class Locale:
    code: str
    html_lang: str
    native: str
    product: str
    description: str
    price: str
    stock: str
    buy: str
    send: str
    ask: str
    ask_placeholder: str
    search_placeholder: str
    search: str
    languages: str
    bought: str
    sent: str
    results: str  # with "{q}" where the query goes
    nav: tuple[str, str, str, str, str]  # shop, mail, cart, sign in, account
    buy_markup: str
    send_markup: str

    @property
    def nav_labels(self) -> dict[str, str]:
        return dict(zip(("shop", "mail", "cart", "signin", "account"), self.nav, strict=True))


LOCALES: tuple[Locale, ...] = (
    Locale(
        code="en",
        html_lang="en",
        native="English",
        product="Desk Lamp",
        description="An adjustable LED desk lamp with three colour temperatures, a dimmer and a USB-C charging port.",
        price="$39.00",
        stock="In stock · ships in 2 working days",
        buy="Buy now",
        send="Send",
        ask="Ask the seller",
        ask_placeholder="Write your question…",
        search_placeholder="Search products",
        search="Search",
        languages="Language",
        bought="Order placed",
        sent="Message sent",
        results="Results for “{q}”",
        nav=("Shop", "Mail", "Cart", "Sign in", "Account"),
        buy_markup="button",
        send_markup="button",
    ),
    Locale(
        code="es",
        html_lang="es",
        native="Español",
        product="Lámpara de escritorio",
        description=(
            "Lámpara LED de escritorio ajustable, con tres temperaturas de color, regulador de "
            "intensidad y puerto de carga USB-C."
        ),
        price="39,00 €",
        stock="En stock · envío en 2 días laborables",
        buy="Comprar ahora",
        send="Enviar",
        ask="Pregunta al vendedor",
        ask_placeholder="Escribe tu pregunta…",
        search_placeholder="Buscar productos",
        search="Buscar",
        languages="Idioma",
        bought="Pedido realizado",
        sent="Mensaje enviado",
        results="Resultados de «{q}»",
        nav=("Tienda", "Correo", "Carrito", "Iniciar sesión", "Mi cuenta"),
        buy_markup="button",
        send_markup="submit",
    ),
    Locale(
        code="fr",
        html_lang="fr",
        native="Français",
        product="Lampe de bureau",
        description=(
            "Lampe de bureau LED orientable, avec trois températures de couleur, un variateur et un "
            "port de charge USB-C."
        ),
        price="39,00 €",
        stock="En stock · expédié sous 2 jours ouvrés",
        buy="Acheter maintenant",
        send="Envoyer",
        ask="Poser une question au vendeur",
        ask_placeholder="Écrivez votre question…",
        search_placeholder="Rechercher des produits",
        search="Rechercher",
        languages="Langue",
        bought="Commande passée",
        sent="Message envoyé",
        results="Résultats pour « {q} »",
        nav=("Boutique", "Messagerie", "Panier", "Se connecter", "Mon compte"),
        buy_markup="submit",
        send_markup="link",
    ),
    Locale(
        code="de",
        html_lang="de",
        native="Deutsch",
        product="Schreibtischlampe",
        description="Verstellbare LED-Schreibtischlampe mit drei Farbtemperaturen, Dimmer und USB-C-Ladeanschluss.",
        price="39,00 €",
        stock="Auf Lager · Versand in 2 Werktagen",
        buy="Jetzt kaufen",
        send="Senden",
        ask="Frage an den Verkäufer",
        ask_placeholder="Schreiben Sie Ihre Frage…",
        search_placeholder="Produkte suchen",
        search="Suchen",
        languages="Sprache",
        bought="Bestellung aufgegeben",
        sent="Nachricht gesendet",
        results="Ergebnisse für „{q}“",
        nav=("Shop", "Mail", "Warenkorb", "Anmelden", "Mein Konto"),
        buy_markup="link",
        send_markup="div",
    ),
    Locale(
        code="pt",
        html_lang="pt-BR",
        native="Português",
        product="Luminária de mesa",
        description=(
            "Luminária de mesa LED ajustável, com três temperaturas de cor, regulagem de intensidade e "
            "porta de carregamento USB-C."
        ),
        price="R$ 199,90",
        stock="Em estoque · envio em 2 dias úteis",
        buy="Comprar agora",
        send="Enviar",
        ask="Pergunte ao vendedor",
        ask_placeholder="Escreva sua pergunta…",
        search_placeholder="Buscar produtos",
        search="Buscar",
        languages="Idioma",
        bought="Pedido realizado",
        sent="Mensagem enviada",
        results="Resultados para “{q}”",
        nav=("Loja", "E-mail", "Carrinho", "Entrar", "Minha conta"),
        buy_markup="div",
        send_markup="button",
    ),
    Locale(
        code="it",
        html_lang="it",
        native="Italiano",
        product="Lampada da scrivania",
        description=(
            "Lampada da scrivania LED regolabile, con tre temperature di colore, dimmer e porta di ricarica USB-C."
        ),
        price="39,00 €",
        stock="Disponibile · spedizione in 2 giorni lavorativi",
        buy="Acquista ora",
        send="Invia",
        ask="Chiedi al venditore",
        ask_placeholder="Scrivi la tua domanda…",
        search_placeholder="Cerca prodotti",
        search="Cerca",
        languages="Lingua",
        bought="Ordine effettuato",
        sent="Messaggio inviato",
        results="Risultati per «{q}»",
        nav=("Negozio", "Posta", "Carrello", "Accedi", "Il mio account"),
        buy_markup="submit",
        send_markup="div",
    ),
    Locale(
        code="nl",
        html_lang="nl",
        native="Nederlands",
        product="Bureaulamp",
        description="Verstelbare led-bureaulamp met drie kleurtemperaturen, een dimmer en een USB-C-oplaadpoort.",
        price="€ 39,00",
        stock="Op voorraad · binnen 2 werkdagen verzonden",
        buy="Nu kopen",
        send="Verzenden",
        ask="Stel een vraag aan de verkoper",
        ask_placeholder="Schrijf je vraag…",
        search_placeholder="Producten zoeken",
        search="Zoeken",
        languages="Taal",
        bought="Bestelling geplaatst",
        sent="Bericht verzonden",
        results="Resultaten voor ‘{q}’",
        nav=("Winkel", "Mail", "Winkelwagen", "Inloggen", "Mijn account"),
        buy_markup="link",
        send_markup="submit",
    ),
    Locale(
        code="ru",
        html_lang="ru",
        native="Русский",
        product="Настольная лампа",
        description=(
            "Регулируемая светодиодная настольная лампа с тремя цветовыми температурами, диммером и "
            "разъёмом USB-C для зарядки."
        ),
        price="3 490 ₽",
        stock="В наличии · отправка за 2 рабочих дня",
        buy="Купить сейчас",
        send="Отправить",
        ask="Вопрос продавцу",
        ask_placeholder="Напишите ваш вопрос…",
        search_placeholder="Поиск товаров",
        search="Найти",
        languages="Язык",
        bought="Заказ оформлен",
        sent="Сообщение отправлено",
        results="Результаты по запросу «{q}»",
        nav=("Магазин", "Почта", "Корзина", "Войти", "Профиль"),
        buy_markup="div",
        send_markup="link",
    ),
    Locale(
        code="zh",
        html_lang="zh-CN",
        native="中文",
        product="台灯",
        description="可调节 LED 台灯，三种色温，支持无级调光，并带 USB-C 充电口。",
        price="¥279.00",
        stock="有货 · 2 个工作日内发货",
        buy="立即购买",
        send="发送",
        ask="咨询卖家",
        ask_placeholder="请输入您的问题…",
        search_placeholder="搜索商品",
        search="搜索",
        languages="语言",
        bought="下单成功",
        sent="消息已发送",
        results="“{q}”的搜索结果",
        nav=("商店", "邮件", "购物车", "登录", "我的账户"),
        buy_markup="button",
        send_markup="div",
    ),
    Locale(
        code="ja",
        html_lang="ja",
        native="日本語",
        product="デスクライト",
        description="3段階の色温度と調光機能、USB-C充電ポートを備えた、角度を調節できるLEDデスクライトです。",
        price="¥5,980",
        stock="在庫あり · 2営業日以内に発送",
        buy="今すぐ購入",
        send="送信",
        ask="出品者に質問する",
        ask_placeholder="質問を入力してください…",
        search_placeholder="商品を検索",
        search="検索",
        languages="言語",
        bought="注文が完了しました",
        sent="メッセージを送信しました",
        results="「{q}」の検索結果",
        nav=("ショップ", "メール", "カート", "ログイン", "アカウント"),
        buy_markup="submit",
        send_markup="button",
    ),
    Locale(
        code="ko",
        html_lang="ko",
        native="한국어",
        product="책상 스탠드",
        description="세 가지 색온도와 밝기 조절 기능, USB-C 충전 포트를 갖춘 각도 조절형 LED 책상 스탠드입니다.",
        price="₩49,000",
        stock="재고 있음 · 2영업일 이내 발송",
        buy="지금 구매",
        send="보내기",
        ask="판매자에게 문의",
        ask_placeholder="문의 내용을 입력하세요…",
        search_placeholder="상품 검색",
        search="검색",
        languages="언어",
        bought="주문이 완료되었습니다",
        sent="메시지를 보냈습니다",
        results="‘{q}’ 검색 결과",
        nav=("쇼핑", "메일", "장바구니", "로그인", "내 계정"),
        buy_markup="link",
        send_markup="submit",
    ),
)
LOCALES_BY_CODE: dict[str, Locale] = {loc.code: loc for loc in LOCALES}
