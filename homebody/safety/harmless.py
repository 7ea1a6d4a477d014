"""Controls positively known to commit nothing that matters, and answers that decline.

Pure data, read by ``lexicon``: every phrase here is indexed as ``benign`` (reversible or
navigational), and ``classify`` marks an allowed target ``harmless`` when its label is one of them
and nothing else. ``harmless`` lets the effect gate pass that action's own requests, so a phrase
belongs here only when what it sends cannot hurt: a search, a filter, a cart or wishlist, a sign-in,
cookie consent, or declining (Cancel, Keep, Go back, No thanks).

- ``HARMLESS``: they say what they do ("Add to cart", "Sort by", "Accept all cookies").
- ``DECLINES``: they decline what a page or dialog asks. Harmless except where the page or dialog
  uses the same word for its own act ("Cancel" on a cancel-subscription page may be the cancelling).
- ``CONSENT``: "Accept all", "Reject all": cookie consent, unless the page lists requests from people.

``NEGATORS`` are words that, just before a committing verb, turn it into its refusal ("No, don't
delete it", "Nicht löschen", "不删除"); ``NEGATING_SUFFIXES`` do the same just after it (ja, ko).
Answer words ("No", "Non", "Nein", "No" in es/it/pt) are not negators: "No, delete it" deletes.
"""

from __future__ import annotations

# fmt: off
HARMLESS: dict[str, str] = {
    "en": "search|find|search now|filter|filters|apply filters|sort|sort by|clear all filters|reset filters"
    "|sign in|sign into|log in|login|sign on|add to cart|add to bag|add to basket|add to trolley|add to wishlist"
    "|add to wish list|add to favorites|add to favourites|save for later|accept cookies|accept all cookies"
    "|allow all cookies|allow cookies|reject cookies|reject all cookies|necessary cookies only|cookie settings",
    "es": "buscar|búsqueda|filtrar|ordenar|ordenar por|borrar filtros|limpiar filtros|aplicar filtros"
    "|iniciar sesión|inicia sesión|inicie sesión|añadir a la cesta|agregar al carrito|añadir al carrito"
    "|agregar a la bolsa|añadir a favoritos|agregar a favoritos|aceptar todas las cookies|aceptar cookies"
    "|rechazar cookies|permitir cookies",
    "fr": "rechercher|chercher|filtrer|trier|trier par|effacer les filtres|réinitialiser les filtres|se connecter"
    "|connexion|ajouter au panier|ajouter aux favoris|accepter les cookies|autoriser tous les cookies"
    "|refuser les cookies",
    "de": "suchen|suche|filtern|sortieren|sortieren nach|filter löschen|filter zurücksetzen|anmelden|einloggen"
    "|in den warenkorb|zum warenkorb hinzufügen|auf die wunschliste|auf den merkzettel|cookies zulassen"
    "|cookies akzeptieren|cookies ablehnen",
    "pt": "pesquisar|buscar|filtrar|ordenar|ordenar por|limpar filtros|entrar|iniciar sessão|fazer login"
    "|adicionar ao carrinho|adicionar à sacola|adicionar aos favoritos|aceitar cookies|rejeitar cookies",
    "it": "cerca|filtra|ordina per|cancella filtri|accedi|aggiungi al carrello|aggiungi ai preferiti|accetta i cookie"
    "|rifiuta i cookie",
    "nl": "zoeken|filteren|sorteren|filters wissen|inloggen|in winkelwagen|toevoegen aan winkelwagen"
    "|cookies accepteren|cookies weigeren",
    "ru": "поиск|найти|искать|фильтр|сортировка|сбросить фильтры|войти|в корзину|добавить в корзину|в избранное"
    "|принять cookie",
    "zh": "搜索|搜尋|查找|筛选|篩選|排序|登录|登入|加入购物车|加入購物車|加入收藏|接受cookie",
    "ja": "検索|絞り込み|並べ替え|ログイン|カートに入れる|カートに追加|お気に入りに追加",
    "ko": "검색|필터|정렬|로그인|장바구니 담기|장바구니에 추가|찜하기",
}
DECLINES: dict[str, str] = {
    "en": "cancel|back|go back|take me back|back to|return to|no thanks|no thank you|not now|maybe later|dismiss"
    "|close|never mind|^keep|no keep it|keep it|keep my account|keep my subscription|keep subscription"
    "|keep editing|stay",
    "es": "cancelar|volver|atrás|volver a|no gracias|ahora no|más tarde|cerrar|conservar|mantener|quedarme",
    "fr": "annuler|retour|revenir|non merci|pas maintenant|plus tard|fermer|conserver|garder",
    "de": "abbrechen|zurück|zurück zu|nein danke|nicht jetzt|später|schließen|behalten|beibehalten",
    "pt": "cancelar|voltar|agora não|não obrigado|fechar|manter",
    "it": "annulla|indietro|torna|no grazie|non ora|più tardi|chiudi|mantieni|conserva",
    "nl": "annuleren|terug|nee bedankt|niet nu|later|sluiten|behouden|houden",
    "ru": "отмена|отменить|назад|вернуться|нет спасибо|не сейчас|позже|закрыть|оставить",
    "zh": "取消|返回|暂不|暫不|以后再说|关闭|關閉|保留|不用了",
    "ja": "キャンセル|戻る|今はしない|後で|閉じる|保持する|残す",
    "ko": "취소|뒤로|나중에|닫기|유지|유지하기",
}
CONSENT: dict[str, str] = {
    "en": "accept all|reject all|allow all|allow selection|necessary only|only necessary|essential only",
    "es": "aceptar todo|aceptar todas|rechazar todo|rechazar todas|permitir todas|solo necesarias",
    "fr": "tout accepter|tout refuser|accepter tout|refuser tout",
    "de": "alle akzeptieren|alle ablehnen|alle zulassen|nur notwendige",
    "pt": "aceitar todos|rejeitar todos|permitir todos",
    "it": "accetta tutti|rifiuta tutti|consenti tutti",
    "nl": "alles accepteren|alles weigeren|alles toestaan",
    "ru": "принять все|отклонить все|разрешить все",
    "zh": "全部接受|全部拒绝|全部拒絕",
    "ja": "すべて受け入れる|すべて拒否",
    "ko": "모두 허용|모두 거부",
}
# fmt: on
# A word that negates the verb right after it (normalized; "don't" is "don t").
NEGATORS = frozenset(
    "don t|dont|do not|not|never|won t|pas|ne pas|nicht|kein|niet|не|нельзя|不|不要|别|別|勿|暂不|暫不".split("|")
)
# Endings that negate the verb right before them (ja, ko).
NEGATING_SUFFIXES = ("しない", "しません", "하지 않", "하지않", " 안 함", "안함", "안 함")
