"""The lexicon's phrases: committing verbs, generic buttons, benign controls, page words, word sets.

Pure data, read by ``lexicon`` (which normalizes and indexes it on first use). Phrases are written
as people read them; they go through the same ``normalize`` as page text, so both sides agree.
Marks on a phrase: ``=0.4`` its own strength, ``^`` only as a label's first word (an imperative:
"Report", not "Get your report"), ``*`` a word prefix.

Kinds: a commit category, ``benign`` (reversible or navigational), or a generic kind (``submit``,
``confirm``, ``continue``, ``save``, ``ack``) whose meaning the page around it decides. Languages:
en, es, fr, de, pt, it, nl, ru, zh, ja, ko.
"""

from __future__ import annotations

GENERIC_KINDS = ("submit", "confirm", "continue", "save", "ack")
FILE_FORMATS = frozenset(
    "pdf csv xls xlsx doc docx ppt pptx odt ods rtf epub mobi zip rar 7z gz tgz dmg exe msi apk pkg deb rpm iso kml kmz"
    " gpx eps dtd ris bib bibtex tex xbrl mp3 mp4 mov".split()
)

# Formats a page can be about ("/feeds/csv.php", "/data.xml"): its links fetch files in that format.
DATA_FORMATS = FILE_FORMATS | {"xml", "json", "geojson"}

# (kind, strength, phrases by language): strength is how sure the phrase alone makes us.
# fmt: off
TABLE: tuple[tuple[str, float, dict[str, str]], ...] = (
    ("purchase", 0.92, {
        "en": "buy|purchase|place order|place your order|place my order|complete order|complete my order"
        "|complete purchase|complete your purchase|submit order|confirm order|confirm purchase|confirm and pay"
        "|confirm payment|pay|make payment|make a payment|checkout=0.6|check out=0.6|proceed to checkout=0.6"
        "|go to checkout=0.6|continue to checkout=0.6"
        "|donate|make a donation|book now|reserve now|start free trial|start my free trial|start your free trial"
        "|start trial|upgrade now|subscribe and pay"
        "|rent now|back this project|^pledge=0.8|place bid|bid now|top up|order now|renew now|pay and subscribe"
        "|^reserve=0.7|^book=0.6|confirm booking|confirm reservation|confirm and book",
        "es": "comprar|pagar|realizar pedido|hacer pedido|realizar el pedido|finalizar compra|finalizar pedido"
        "|confirmar pedido|confirmar el pedido|confirmar compra|confirmar el pago|confirmar pago|tramitar pedido"
        "|donar|reservar ahora|comenzar prueba gratuita|iniciar prueba gratuita"
        "|pedir ahora|contratar|reservar=0.7|ir al pago|proceder al pago"
        "|confirmar reserva",
        "fr": "acheter|commander|passer la commande|passer commande|valider la commande|valider ma commande"
        "|confirmer la commande|payer|régler|finaliser l'achat|finaliser la commande|faire un don|réserver maintenant"
        "|essai gratuit|réserver=0.7|passer au paiement|procéder au paiement"
        "|confirmer la réservation",
        "de": "kaufen|bestellen|bestellung abschicken|bezahlen|zur kasse|spenden|jetzt buchen"
        "|jetzt abschließen|reservieren=0.7|buchen=0.7|zur zahlung|weiter zur zahlung|reservierung bestätigen"
        "|zahlungspflichtig buchen",
        "pt": "finalizar compra|finalizar pedido|fazer pedido|confirmar pagamento|doar|assinar agora"
        "|reservar=0.7|ir para o pagamento|confirmar reserva",
        "it": "acquista|compra|ordina ora|paga|procedi all'acquisto|procedi al pagamento|conferma ordine"
        "|conferma l'ordine|effettua l'ordine|concludi l'ordine|dona|prenota ora|prenota=0.7|vai al pagamento"
        "|conferma prenotazione",
        "nl": "kopen|koop nu|bestellen|bestelling plaatsen|afrekenen|betalen|doneren|nu boeken|reserveren=0.7"
        "|boeken=0.7|naar betalen|doorgaan naar betalen",
        "ru": "купить|оформить заказ|заказать|оплатить|перейти к оплате|пожертвовать|забронировать|подтвердить заказ"
        "|подтвердить оплату",
        "zh": "购买|立即购买|马上购买|下单|提交订单|去结算|结算|付款|支付|立即支付|确认支付|捐款|購買|結帳|立即預訂"
        "|立即预订|预订=0.7|預訂=0.7",
        "ja": "購入|今すぐ購入|注文する|注文を確定|注文確定|支払う|お支払い|レジに進む|寄付|予約する|購入手続き"
        "|予約=0.7",
        "ko": "구매|구매하기|바로 구매|바로구매|주문하기|결제|결제하기|구입|기부|예약하기|예약=0.7",
    }),
    ("transfer", 0.9, {
        "en": "transfer|send money|^wire=0.6|withdraw|^trade=0.6|place trade|^sell=0.6|sell now|cash out"
        "|confirm transfer",
        "es": "transferir|enviar dinero|retirar|^vender=0.6|vender ahora",
        "fr": "virement|envoyer de l'argent|retirer|^vendre=0.6",
        "de": "überweisen|überweisung|geld senden|auszahlen|abheben|^verkaufen=0.6",
        "pt": "enviar dinheiro|sacar|^vender=0.6",
        "it": "trasferisci|bonifico|invia denaro|preleva|^vendi=0.6",
        "nl": "overmaken|overschrijven|opnemen|^verkopen=0.6",
        "ru": "перевести|вывести|^продать=0.6", "zh": "转账|轉帳|汇款|匯款|提现|提現|卖出|賣出",
        "ja": "振込|振り込む|送金|出金|売却",
        "ko": "이체|송금|출금|매도",
    }),
    ("delete", 0.9, {
        "en": "delete|remove permanently|destroy|erase|close account|close my account|deactivate|cancel subscription"
        "|cancel my subscription|cancel membership|cancel plan|cancel my plan|cancel order|unsubscribe from all"
        "|empty trash|wipe|terminate|disconnect|revoke|block=0.85|clear all|clear history|continue with cancellation"
        "|request deletion|discard|unsubscribe=0.7",
        "es": "eliminar|borrar|suprimir|cerrar cuenta|cerrar mi cuenta|desactivar|cancelar suscripción"
        "|cancelar membresía|cancelar pedido|darse de baja|dar de baja|desconectar|bloquear|elimina"
        "|solicitar eliminación|vaciar papelera|revocar|cancelar la suscripción|desuscribirse=0.7",
        "fr": "supprimer|effacer|fermer le compte|fermer mon compte|désactiver|résilier|se désabonner|se désinscrire"
        "|bloquer|annuler l'abonnement|vider la corbeille|révoquer",
        "de": "löschen|deaktivieren|kündigen|abbestellen|blockieren|sperren|papierkorb leeren|widerrufen|trennen"
        "|abmelden vom newsletter",
        "pt": "excluir|apagar|eliminar|encerrar conta|desativar|cancelar assinatura|cancelar inscrição|bloquear"
        "|desconectar",
        "it": "elimina|cancella|chiudi account|disattiva|annulla abbonamento|disiscriviti|blocca|revoca|scollega",
        "nl": "verwijderen|verwijder|wissen|deactiveren|opzeggen|blokkeren|ontkoppelen",
        "ru": "удалить|стереть|деактивировать|отписаться|отменить подписку|заблокировать|очистить корзину|отключить",
        "zh": "删除|刪除|注销|註銷|永久删除|取消订阅|取消訂閱|退订|清空|屏蔽|拉黑|解除绑定|解绑",
        "ja": "削除|退会|解約|登録解除|完全に削除|ブロック|連携解除",
        "ko": "삭제|탈퇴|회원탈퇴|해지|구독 취소|구독취소|차단|연결 해제",
    }),
    ("security", 0.88, {
        "en": "change password|update password|set password|save new password|save password|reset password"
        "|new password|change email|update email address|change phone|save phone number|two factor|2fa"
        "|two step verification|2 step verification|security settings|recovery email|recovery phone|add recovery"
        "|security key|passkey|change username|send verification code|verify my identity"
        # Storing a card moves no money: it changes what the account holds, so it is a settings change.
        "|add payment method|add a payment method|add card|add a card|add a credit card|save card"
        "|save payment method|update payment method|remove payment method|change phone number|update phone number"
        "|change email address|update email|save email",
        "es": "cambiar contraseña|actualizar contraseña|guardar contraseña|cambiar correo|cambiar clave"
        "|verificación en dos pasos|autenticación de dos factores|cambiar teléfono|validar tarjeta|agregar tarjeta"
        "|añadir tarjeta|guardar tarjeta|agregar método de pago|añadir método de pago",
        "fr": "changer le mot de passe|modifier le mot de passe|changer mon mot de passe|changer l'adresse e mail"
        "|modifier l'adresse e mail|double authentification|authentification à deux facteurs|ajouter une carte"
        "|ajouter un moyen de paiement",
        "de": "passwort ändern|kennwort ändern|e mail adresse ändern|e mail ändern|zwei faktor|telefonnummer ändern"
        "|karte hinzufügen|zahlungsmethode hinzufügen",
        "pt": "alterar senha|mudar senha|redefinir senha|alterar e mail|verificação em duas etapas|adicionar cartão"
        "|adicionar forma de pagamento",
        "it": "cambia password|modifica password|cambia email|verifica in due passaggi|autenticazione a due fattori",
        "nl": "wachtwoord wijzigen|wachtwoord opslaan|e mailadres wijzigen|tweestapsverificatie",
        "ru": "изменить пароль|сменить пароль|сохранить пароль|изменить email|изменить почту"
        "|двухфакторная аутентификация",
        "zh": "修改密码|更改密码|重置密码|修改密碼|更改密碼|两步验证|兩步驟驗證|安全设置|绑定手机|更换手机",
        "ja": "パスワードを変更|パスワード変更|パスワードの変更|二段階認証|2段階認証|メールアドレスを変更",
        "ko": "비밀번호 변경|비밀번호 재설정|2단계 인증|이메일 변경",
    }),
    ("send", 0.88, {
        "en": "send|reply|forward|text me|call me|email me|request a call|request callback|request a demo"
        "|request demo|request data|request my data|request my information|contact sales|start conversation"
        "|submit request|submit a request|submit message|submit my message|submit details|submit your details"
        "|get in touch|book a demo|schedule a demo|get a quote=0.7|request a quote=0.7|^report=0.6|report abuse"
        "|quote=0.45|^contact us=0.45|^contact=0.45|^schedule=0.45"
        "|^schedule now=0.45",
        "es": "enviar|responder|reenviar|mandar|solicitar|solicita|contactar|envíe|^denunciar=0.6"
        "|solicitar presupuesto=0.7|pedir presupuesto=0.7|^contáctanos=0.45|presupuesto=0.45",
        "fr": "envoyer|répondre|transférer|contacter|demander un devis|soumettre ma demande|^signaler=0.6",
        "de": "senden|absenden|abschicken|antworten|weiterleiten|^melden=0.6|angebot anfordern=0.7",
        "pt": "responder|encaminhar|mandar|solicitar",
        "it": "invia|inviare|rispondi|inoltra|richiedi|^segnala=0.6",
        "nl": "verzenden|versturen|verstuur|stuur|beantwoorden|doorsturen|aanvragen|^rapporteren=0.6",
        "ru": "отправить|ответить|переслать|послать|запросить|^пожаловаться=0.6",
        "zh": "发送|發送|傳送|回复|回覆|转发|轉寄|发消息|發訊息|举报=0.6|檢舉=0.6",
        "ja": "送信|送信する|返信|転送|送る|メッセージを送る|通報=0.6",
        "ko": "보내기|전송|답장|전달|메시지 보내기|신고=0.6",
    }),
    ("publish", 0.88, {
        "en": "post|publish|add comment|^comment=0.6|tweet|submit review|submit rating"
        "|post reply|go live|create listing|list item|^share=0.4",
        "es": "publicar|comentar|enviar reseña|crear anuncio|^compartir=0.4",
        "fr": "publier|poster|commenter|^partager=0.4",
        "de": "veröffentlichen|posten|kommentieren|bewertung abschicken|bewertung absenden|^teilen=0.4",
        "pt": "publicar|comentar|^compartilhar=0.4|^partilhar=0.4|enviar avaliação",
        "it": "pubblica|commenta|^condividi=0.4|invia recensione", "nl": "plaatsen|publiceren|reageren|^delen=0.4",
        "ru": "опубликовать|публиковать|комментировать|^поделиться=0.4|оставить отзыв|отправить отзыв",
        "zh": "发布|發佈|發布|发表|發表|评论|評論|分享=0.4|发帖|發文",
        "ja": "投稿|投稿する|公開する|コメントする|シェア=0.4|共有する=0.4",
        "ko": "게시|게시하기|올리기|댓글 달기|공유=0.4|공유하기=0.4|등록하기",
    }),
    ("signup", 0.88, {
        "en": "sign up|signup|sign me up|register|create account|create an account|create your account"
        "|create free account|create a free account|create new account|create my account|complete my account|join"
        "|become a member|subscribe|i accept|agree|accept terms|accept and continue|agree and continue"
        "|accept all terms|sign contract|sign document|e sign|submit application|submit your application|apply now"
        "|enroll now|opt in|keep me updated|send me updates|notify me|get access|activate|claim offer"
        "|get started free|start now|create account and continue|yes to all|get my consultation"
        "|verify my student status|accept continue|agree continue|accept the terms|accept terms and conditions"
        "|accept the privacy policy|i have read and accept",
        "es": "regístrate|registrarse|registrarme|regístrese|registrar|crear cuenta|crea una cuenta|crear una cuenta"
        "|crear mi cuenta|únete|unirse|suscribirse|suscríbete|suscribir|suscríbase|suscribirme|acepto|sí acepto"
        "|aceptar términos|aceptar y continuar|acepto continuar|de acuerdo|inscribirse|inscríbete|darse de alta"
        "|mantenerme actualizado|mantenerme informado|activar|empezar ahora|^crear=0.6|subscríbase|subscribase"
        "|aceptar la política",
        "fr": "s'inscrire|inscrivez vous|inscription|créer un compte|créer mon compte|rejoindre|s'abonner"
        "|abonnez vous|je m'abonne|j'accepte|accepter et continuer|je m'inscris|adhérer|activer",
        "de": "registrieren|konto erstellen|konto anlegen|beitreten|abonnieren|ich stimme zu|zustimmen"
        "|akzeptieren und fortfahren|mitglied werden|aktivieren",
        "pt": "cadastre se|cadastrar|inscrever se|inscreva se|criar conta|criar uma conta|registrar|assinar|aceito"
        "|concordo|aceitar e continuar|aderir|ativar",
        "it": "registrati|iscriviti|crea account|crea un account|abbonati|accetto|accetta e continua|attiva",
        "nl": "registreren|account aanmaken|abonneren|inschrijven|schrijf je in|akkoord|activeren|lid worden",
        "ru": "зарегистрироваться|регистрация|создать аккаунт|создать учетную запись|подписаться|принимаю|согласен"
        "|вступить|активировать",
        "zh": "注册|註冊|立即注册|创建账户|创建帐户|建立帳戶|订阅|訂閱|我同意|同意并继续|同意並繼續|加入会员|立即加入"
        "|开通",
        "ja": "会員登録|新規登録|無料登録|アカウント作成|アカウントを作成|購読|同意する|同意して|申し込む|申込む"
        "|登録する",
        "ko": "회원가입|가입하기|가입|계정 만들기|구독|구독하기|동의합니다|동의하고|신청하기|등록",
    }),
    ("install", 0.85, {
        "en": "install|download|download*|downloads|^upload=0.6|^upload file=0.6|browse files=0.6|add to chrome"
        "|add to firefox|add extension|get the app|get extension|connect app|grant access|allow access|authorize"
        "|authorise|share with|give access|export|start export|^connect=0.45|^allow=0.6"
        "|endnote=0.7|refworks=0.7|dublin core=0.7|citation file=0.7",  # citation exports fetch a file
        "es": "instalar|descargar|descarg*|subir archivo|subir archivos|cargar archivo|añadir a chrome"
        "|agregar a chrome|autorizar|conceder acceso|dar acceso|exportar|solicitar descarga|^permitir=0.6",
        "fr": "installer|télécharger|téléchargez|ajouter à chrome|autoriser|accorder l'accès|exporter",
        "de": "installieren|herunterladen|hochladen|zu chrome hinzufügen|autorisieren|zugriff gewähren|exportieren"
        "|^zulassen=0.6",
        "pt": "instalar|baixar|baixe|carregar arquivo|enviar arquivo|autorizar|conceder acesso|exportar|^permitir=0.6",
        "it": "installa|scarica|carica file|aggiungi a chrome|autorizza|concedi l'accesso|esporta|^consenti=0.6",
        "nl": "installeren|downloaden|download|uploaden|autoriseren|toegang verlenen|exporteren|^toestaan=0.6",
        "ru": "установить|скачать|загрузить|разрешить доступ|авторизовать|экспортировать|^разрешить=0.6",
        "zh": "安装|安裝|下载|下載|上传|上傳|授权|授權|导出|匯出|允许=0.6",
        "ja": "インストール|ダウンロード|アップロード|許可する|エクスポート|許可=0.6",
        "ko": "설치|다운로드|업로드|권한 부여|내보내기|허용=0.6",
        "files": "|".join(f"{ext}=0.7" for ext in FILE_FORMATS),  # named after a file: fetches it
    }),
    # Generic buttons: their meaning comes from the page, the form and the dialog around them.
    ("submit", 0.55, {
        "en": "submit|send form", "es": "enviar formulario", "fr": "soumettre|valider", "de": "einreichen|abschicken",
        "pt": "submeter",
        "it": "inoltra modulo", "nl": "indienen", "ru": "подать", "zh": "提交|送出", "ja": "提出|送信内容を確認",
        "ko": "제출|제출하기",
    }),
    ("confirm", 0.45, {
        "en": "confirm|complete|finish|finalize|yes confirm|place|i understand|yes delete|yes continue|verify",
        "es": "confirmar|completar|finalizar|validar|verificar|último paso|los datos son correctos",
        "fr": "confirmer|terminer", "de": "bestätigen|abschließen", "pt": "confirmar|concluir",
        "it": "conferma|completa",
        "nl": "bevestigen|afronden", "ru": "подтвердить|завершить", "zh": "确认|確認|确定|確定|完成",
        "ja": "確認|確定|完了",
        "ko": "확인|완료",
    }),
    ("continue", 0.25, {
        "en": "continue|next|proceed|go on|save and continue|save continue|get started|start",
        "es": "continuar|siguiente|proceder|seguir adelante|empezar",
        "fr": "continuer|suivant|poursuivre", "de": "weiter|fortfahren|nächster schritt",
        "pt": "continuar|próximo|seguinte|avançar",
        "it": "continua|avanti|procedi", "nl": "doorgaan|verder|volgende", "ru": "продолжить|далее|дальше",
        "zh": "继续|繼續|下一步",
        "ja": "続行|続ける|次へ", "ko": "계속|계속하기|다음",
    }),
    ("save", 0.3, {
        "en": "save|save details|save personal details|save and accept|update|apply changes|^apply|done",
        "es": "guardar|actualizar|listo|^aplicar",
        "fr": "enregistrer|mettre à jour|^appliquer", "de": "speichern|aktualisieren|übernehmen|^anwenden",
        "pt": "salvar|guardar|atualizar|^aplicar",
        "it": "salva|aggiorna|^applica", "nl": "opslaan|bijwerken|^toepassen", "ru": "сохранить|обновить|^применить",
        "zh": "保存|儲存|更新",
        "ja": "保存|更新|適用",
        "ko": "저장|업데이트|적용",
    }),
    ("ack", 0.2, {
        "en": "ok|okay|yes|accept|i m in|add", "es": "sí|aceptar|vale|agregar|añadir",
        "fr": "oui|accepter|d'accord|ajouter",
        "de": "ja|akzeptieren|hinzufügen", "pt": "sim|aceitar|adicionar", "it": "sì|accetta|va bene|aggiungi",
        "nl": "ja|accepteren|toevoegen",
        "ru": "да|принять|ок|добавить", "zh": "是|接受|好的|添加", "ja": "はい|承諾|追加", "ko": "예|네|수락|추가",
    }),
    # Reversible or navigational: these outweigh a generic word in the same label.
    ("benign", 0.0, {
        "en": "go|more|view|details|menu|previous|skip|log out|logout|sign out|add to list|add to collection|save to"
        "|save article|save as favorite|remove from cart|favorite|bookmark|expand|collapse|open|edit|copy|translate"
        "|play|watch|listen|compare|select|choose|got it|remind me later|help|cookies|share on|share via|print|zoom"
        "|chat with us|start chat|forgot password|get directions|language|currency|add to starred|continue shopping"
        "|continue with google|continue with apple|continue with facebook|continue with email|use password|redeem"
        "|thumbs up|thumbs down|helpful|vote|dark|light|theme|subscriptions|review|preview|see|show|check|go to"
        "|track|view and edit|edit details",
        "es": "mostrar más|cargar más|leer más|ver|acceder|entrar|lista de deseos|conexión|cambiar de región|idioma"
        "|imprimir|revisar|mostrar|editar|abrir|ir a",
        "fr": "voir plus|afficher plus|se déconnecter|vérifier|voir|afficher|modifier|ouvrir|aller à|revoir",
        "de": "mehr anzeigen|mehr laden|merken|abmelden|überprüfen|prüfen|ansehen|anzeigen|bearbeiten|öffnen",
        "pt": "mostrar mais|sair|revisar|ver|mostrar|editar|abrir",
        "it": "mostra altro|esci|rivedi|controlla|vedi|mostra|modifica|apri",
        "nl": "meer tonen|uitloggen|bekijken|controleren|bewerken|openen",
        "ru": "показать ещё|показать еще|подписки|выйти|просмотреть|проверить|показать|изменить|открыть",
        "zh": "查看更多|更多|收藏|退出登录|查看|预览|預覽|编辑|編輯",
        "ja": "もっと見る|お気に入り|ログアウト|表示|編集|プレビュー",
        "ko": "더보기|장바구니|찜|로그아웃|보기|미리보기|편집",
    }),
)

# A verb and, within the next four words, what it acts on: "create a free business account".
PAIRS: tuple[tuple[str, float, frozenset[str], frozenset[str]], ...] = (
    ("purchase", 0.75, frozenset("add agregar anadir ajouter hinzufugen adicionar aggiungi toevoegen добавить".split()),
     frozenset("license licenses licence licencia licencias seat seats subscription suscripcion abonnement lizenz"
               " assinatura licenca abbonamento licentie лицензию подписку".split())),
    ("signup", 0.85, frozenset("create crear crea creer erstellen anlegen criar aanmaken создать open abrir".split()),
     frozenset("account cuenta compte konto conta аккаунт".split())),
    ("delete", 0.88, frozenset("delete close remove eliminar cerrar borrar supprimer fermer loschen excluir encerrar"
                               " elimina chiudi verwijderen удалить".split()),
     frozenset("account cuenta compte konto conta profile perfil profil аккаунт".split())),
)
# fmt: on


# Words of a page's URL (host, path) or title that say what the page is for, by category, with the
# weight they add to a generic button. ``~stem`` also matches inside compounds ("onestepcheckout").
PAGE_WORDS: dict[str, str] = {
    "purchase": "~checkout=.35|~payment=.35|payments=.3|~cashier=.35|~billing=.3|~purchase=.35|pay=.3|buy=.3"
    "|~donat=.35|cart=.25|basket=.25|order=.2|book=.2|~booknew=.3|~subscribenow=.3"
    "|pago=.35|paiement=.35|~zahlung=.35|pagamento=.35|betaling=.35|оплата=.35|~支付=.35|~付款=.35|~決済=.35"
    "|~お支払い=.35|~결제=.35",  # a payment step: "Continue" there may hand over the card and charge it
    "signup": "~signup=.35|sign up=.35|~register=.35|~registration=.35|~createaccount=.35|create account=.35"
    "|~createuser=.35|~newuser=.35|join=.3|enroll=.25|~newsletter=.35|subscribe=.3|~membership=.3"
    "|subscription=.3|subscriptions=.25",
    "send": "tax=.3|~taxes=.3|~taxpayer=.35|~taxreturn=.35"  # a tax return is filed with an authority
    "|~contact=.35|~feedback=.3|~compose=.35|message=.25|messages=.25|inbox=.25|ticket=.25|requests=.25"
    "|gethelp=.25|ask=.2|referral=.3|request demo=.3",
    "publish": "review=.3|~writeareview=.35|write review=.35|comment=.3|thread=.2|post=.2",
    "delete": "~delete=.35|~deletion=.35|~deactivat=.35|~closeaccount=.35|close account=.35|~unsubscribe=.35"
    "|~withdraw=.3|cancel=.25",
    "security": "~password=.35|~passwd=.35|~changepwd=.35|security=.3|2fa=.35|mfa=.3|~twofactor=.35|~changeemail=.35"
    "|~account=.2|accounts=.15|settings=.2|profile=.2|personal=.2|privacy=.2|preferences=.15|address=.2"
    "|addresses=.2|passenger=.2|traveler=.2|personal data=.3|personal info=.3"
    # what a Save there changes: payment methods (no money moves: see the card verbs), phone, e-mail
    "|payment methods=.4|payment method=.4|~paymentmethod=.4|saved cards=.4|phone number=.3|~phonenumber=.3"
    "|mobile number=.3|email address=.3|~emailaddress=.3|~changephone=.35|contact information=.4|contact info=.4"
    "|privacidad=.2|configuracion=.2|ajustes=.2|cuenta=.2|metodos de pago=.4|formas de pago=.4"
    "|numero de telefono=.3|correo electronico=.3|confidentialite=.2|parametres=.2|compte=.2"
    "|moyens de paiement=.4|numero de telephone=.3|adresse e mail=.3|datenschutz=.2|einstellungen=.2|konto=.2"
    "|zahlungsmethoden=.4|zahlungsarten=.4|telefonnummer=.3|e mail adresse=.3|privacidade=.2|configuracoes=.2"
    "|conta=.2|formas de pagamento=.4|metodos de pagamento=.4|numero de telefone=.3|impostazioni=.2"
    "|metodi di pagamento=.4|numero di telefono=.3|instellingen=.2|betaalmethoden=.4|telefoonnummer=.3"
    "|настройки=.2|конфиденциальность=.2|аккаунт=.2|способы оплаты=.4|номер телефона=.3|~设置=.2|~設定=.2"
    "|~隐私=.2|~隱私=.2|~账户=.2|~帳戶=.2|~支付方式=.4|~付款方式=.4|~手机号=.3|~プライバシー=.2|~アカウント=.2"
    "|~支払い方法=.4|~電話番号=.3|~メールアドレス=.3|~설정=.2|~개인정보=.2|~계정=.2|~결제수단=.4|~전화번호=.3",
    "transfer": "transfer=.35|~sendmoney=.35|send money=.35|trade=.3|trading=.3|wire=.3",
    "install": "~download=.3|downloads=.3|~install=.35|upload=.3",
}
SENSITIVE = frozenset({"purchase", "transfer", "delete", "security"})  # unreadable targets halt there
COMPOSER_WORDS = frozenset({"compose", "message", "messages", "inbox"})
HOST_NOISE = frozenset({"www", "com", "co", "org", "net", "gov"})
# Pages where a generic "Continue" signs the user in rather than committing anything.
LOGIN_WORDS = frozenset({"login", "signin", "sign in", "logon", "log in", "auth", "sso", "authorize", "oauth"})
# "Accept" in the lexicon's languages (normalized): on a sign-up page it accepts the terms.
ACCEPT_WORDS = frozenset(
    "accept aceptar accepter akzeptieren aceitar accetta accepteren принять 接受 承諾 수락".split()
)
# Page words of a search-results page, where buttons only sort, filter or page through results.
RESULTS_WORDS = frozenset("search results buscar busqueda resultados suche recherche pesquisa ricerca zoeken".split())
# Fields, forms and buttons that only search or narrow what is shown.
SEARCH_WORDS = frozenset(
    "search q query find filter filters results s keyword keywords buscar busqueda suchen suche rechercher chercher"
    " pesquisar cerca zoeken поиск найти 搜索 検索 검색".split()
)
# What a dialog says before something that cannot be taken back (normalized).
DIALOG_WARNINGS: tuple[str, ...] = tuple(
    "cannot be undone|can t be undone|can not be undone|permanently|are you sure|irreversible|this action"
    "|will be deleted|will be removed|will be lost|no se puede deshacer|permanentemente|estas seguro|esta seguro"
    "|definitivement|etes vous sur|kann nicht ruckgangig|endgultig|sind sie sicher|nao pode ser desfeita"
    "|tem certeza|non puo essere annullata|non puo essere annullato|sei sicuro|kan niet ongedaan|weet je zeker"
    "|weet u zeker|нельзя отменить|вы уверены|безвозвратно|无法撤销|無法復原|无法恢复|确定要|元に戻せません"
    "|本当に|되돌릴 수 없|정말".split("|")
)
# Form fields that carry payment details (names and autocomplete tokens, normalized).
CARD_FIELDS = frozenset(
    "cc number|cc name|cc exp|cc csc|cc type|cardnumber|card number|cc num|ccnum|cvc|cvv|csc|card cvc|card expiry"
    "|exp month|exp year|expiry|card holder|cardholder|iban|security code|credit card|card".split("|")
)
