"""Phrases for actions that reach other people: follow, connect, befriend, invite, share, react, RSVP, join.

Pure data, read by ``lexicon`` like ``phrases.TABLE`` (same marks: ``=0.6`` own strength, ``^`` only
as a label's first word). Each group also says, in words, what the action does; that sentence is the
verdict's reason. The categories, and why:

- ``send``: a follow, connection or friend request, an invitation, an answer to someone's request,
  an RSVP: each reaches particular people (they are notified, or the host sees the answer).
- ``publish``: a reaction (like, upvote, react) or a share to a feed: it shows, under the user's
  name, to whoever sees the item or the feed.
- ``signup``: joining a group, an event's attendee list or a community: the user becomes a member,
  which the members see.

Bare words that also mean something harmless ("Follow us on ...", "Seguir leyendo", "Going" in a
title) are first-word-only and weaker, and their harmless phrases are listed as benign here.
Languages: en, es, fr, de, pt, it, nl, ru, zh, ja, ko.
"""

from __future__ import annotations

# (kind, strength, what it does, phrases by language)
# fmt: off
SOCIAL: tuple[tuple[str, float, str, dict[str, str]], ...] = (
    ("send", 0.85, "sends a follow, friend or connection request to another person", {
        "en": "^follow=0.6|follow back|request to follow|send follow request|^connect=0.6|send connection request"
        "|add connection|add friend|add as friend|send friend request|friend request=0.7",
        "es": "^seguir=0.6|seguir también|enviar solicitud de amistad|agregar amigo|añadir amigo|agregar a amigos"
        "|solicitud de amistad=0.7|conectar con=0.6",
        "fr": "^suivre=0.6|suivre en retour|ajouter en ami|ajouter comme ami|demande d'ami=0.7|se connecter avec=0.6",
        "de": "^folgen=0.6|zurückfolgen|als freund hinzufügen|freundschaftsanfrage senden|freundschaftsanfrage=0.7"
        "|vernetzen",
        "pt": "^seguir=0.6|seguir de volta|adicionar amigo|adicionar aos amigos|enviar solicitação de amizade"
        "|solicitação de amizade=0.7",
        "it": "^segui=0.6|ricambia|aggiungi agli amici|aggiungi amico|invia richiesta di amicizia"
        "|richiesta di amicizia=0.7",
        "nl": "^volgen=0.6|terugvolgen|vriend toevoegen|toevoegen als vriend|vriendschapsverzoek=0.7|connectie maken",
        "ru": "добавить в друзья|заявка в друзья=0.7|отправить заявку|^следить=0.6",
        "zh": "关注=0.6|關注=0.6|加关注|回关|加好友|添加好友|加為好友|加为好友|好友请求=0.7|好友邀請=0.7",
        "ja": "フォローする|フォロー=0.6|フォローバック|友達に追加|友達申請|つながる",
        "ko": "팔로우=0.6|팔로우하기|맞팔로우|친구 추가|친구 요청|친구추가|일촌 신청",
    }),
    ("send", 0.85, "answers another person's friend, connection or follow request", {
        "en": "accept request|accept friend request|accept connection|accept invitation|accept invite"
        "|confirm request|confirm friend request|decline request|decline invitation|decline invite"
        "|ignore request|reject request|approve request|approve follow request",
        "es": "aceptar solicitud|confirmar solicitud|rechazar solicitud|aceptar invitación|rechazar invitación",
        "fr": "accepter la demande|accepter l'invitation|refuser la demande|refuser l'invitation|confirmer la demande",
        "de": "anfrage annehmen|anfrage bestätigen|anfrage ablehnen|einladung annehmen|einladung ablehnen",
        "pt": "aceitar solicitação|confirmar solicitação|recusar solicitação|aceitar convite|recusar convite",
        "it": "accetta richiesta|conferma richiesta|rifiuta richiesta|accetta invito|rifiuta invito",
        "nl": "verzoek accepteren|verzoek bevestigen|verzoek weigeren|uitnodiging accepteren|uitnodiging weigeren",
        "ru": "принять заявку|подтвердить заявку|отклонить заявку|принять приглашение|отклонить приглашение",
        "zh": "接受请求|接受邀请|接受邀請|确认请求|拒绝请求|拒絕請求|拒绝邀请|同意好友",
        "ja": "リクエストを承認|リクエストを承認する|リクエストを拒否|招待を承諾|招待を辞退",
        "ko": "요청 수락|친구 수락|초대 수락|요청 거절|초대 거절",
    }),
    ("send", 0.88, "invites other people", {
        "en": "invite|send invite|send invitation|send invites|invite friends|invite people",
        "es": "invitar|enviar invitación|invitar amigos", "fr": "inviter|envoyer l'invitation",
        "de": "einladen|einladung senden", "pt": "convidar|enviar convite", "it": "invita|invia invito",
        "nl": "uitnodigen|uitnodiging versturen", "ru": "пригласить|отправить приглашение",
        "zh": "邀请|邀請|发送邀请", "ja": "招待|招待する|招待を送信", "ko": "초대|초대하기|초대장 보내기",
    }),
    ("send", 0.85, "answers an invitation (RSVP), which its host and guests see", {
        "en": "rsvp|^going=0.6|i m going|not going|can t go|^interested=0.6|^attend=0.6|attending=0.6|will attend"
        "|register for event|register for this event|accept event|decline event",
        "es": "asistiré|voy a ir|no asistiré|no puedo ir|confirmar asistencia|^me interesa=0.6|^asistir=0.6",
        "fr": "je participe|j'y vais|je ne peux pas venir|^participer=0.6|^intéressé=0.6|^intéressée=0.6",
        "de": "ich nehme teil|ich bin dabei|zusagen|absagen=0.6|^teilnehmen=0.6|^interessiert=0.6",
        "pt": "vou|não vou|confirmar presença|tenho interesse|^participar=0.6",
        "it": "parteciperò|non parteciperò|^partecipa=0.6|mi interessa",
        "nl": "ik ga|ik ga niet|aanwezig=0.6|^deelnemen=0.6|^geïnteresseerd=0.6",
        "ru": "пойду|не пойду|я пойду|участвую|^интересно=0.6",
        "zh": "参加=0.6|參加=0.6|我要参加|不参加|感兴趣=0.6|感興趣=0.6|报名参加",
        "ja": "参加する|参加予定|不参加|興味あり",
        "ko": "참석|참석하기|불참|관심 있음|참가하기",
    }),
    ("publish", 0.6, "reacts publicly: others see the reaction under the user's name", {
        "en": "^like|^unlike|^react|^upvote|^downvote|like this post|like post|like comment",
        "es": "^me gusta|^reaccionar|^votar a favor",
        "fr": "^j'aime|^réagir",
        "de": "^gefällt mir|^reagieren",
        "pt": "^curtir|^reagir|^gostei",
        "it": "^mi piace|^reagisci",
        "nl": "^vind ik leuk",
        "ru": "^нравится|^лайк|^отреагировать",
        "zh": "点赞|點讚|按讚|点个赞|赞一下",
        "ja": "いいね",
        "ko": "좋아요|추천하기",
    }),
    ("publish", 0.88, "shares it with others on a feed or timeline", {
        "en": "share to feed|share to your feed|share to story|share to your story|share now|share post|reshare"
        "|repost|retweet|share publicly|quote post",
        "es": "compartir ahora|compartir en tu muro|compartir en el feed|compartir publicación|volver a publicar",
        "fr": "partager maintenant|partager la publication|republier|repartager",
        "de": "jetzt teilen|beitrag teilen|erneut posten|reposten",
        "pt": "compartilhar agora|compartilhar publicação|repostar|republicar",
        "it": "condividi ora|condividi post|ripubblica|ricondividi",
        "nl": "nu delen|bericht delen|opnieuw plaatsen",
        "ru": "поделиться сейчас|репост|сделать репост",
        "zh": "分享到动态|分享到動態|立即分享|转帖|轉貼",
        "ja": "今すぐシェア|リポスト|リツイート",
        "ko": "지금 공유|리포스트|리트윗|공유하기=0.4",
    }),
    ("signup", 0.88, "joins a group, an event or a community: its members see the membership", {
        "en": "join group|join the group|join this group|join community|join the community|join event"
        "|join the event|join server|join channel|join the team|join team|join club|request to join",
        "es": "unirse al grupo|unirme al grupo|unirse a la comunidad|unirse al evento|solicitar unirse",
        "fr": "rejoindre le groupe|rejoindre la communauté|rejoindre l'événement|demander à rejoindre",
        "de": "gruppe beitreten|der gruppe beitreten|community beitreten|beitritt anfragen",
        "pt": "entrar no grupo|participar do grupo|entrar na comunidade|pedir para participar",
        "it": "unisciti al gruppo|unisciti alla community|unisciti|chiedi di unirti",
        "nl": "lid worden van groep|word lid|deelnemen aan groep",
        "ru": "вступить в группу|вступить в сообщество|присоединиться",
        "zh": "加入群组|加入群組|加入小组|加入社群|加入社区|加入社團|加入群聊|申请加入",
        "ja": "グループに参加|コミュニティに参加|参加をリクエスト",
        "ko": "그룹 가입|커뮤니티 가입|가입 요청|참여하기",
    }),
    # What looks like those verbs but reaches nobody: social links, reading on, one's own list.
    ("benign", 0.0, "", {
        "en": "follow us|follow us on|connect with us|find us on|like us on|following|unfollow|liked"
        "|interested in|follow the steps|follow these steps|follow instructions|follow the instructions"
        "|follow order|follow this order|follow delivery|follow your order",
        "es": "síguenos|siguenos|síguenos en|seguir leyendo|seguir comprando|seguir navegando|seguir viendo"
        "|siguiendo|dejar de seguir|seguir el pedido|seguir mi pedido|seguir envío",
        "fr": "suivez nous|suivre ma commande|suivre mon colis|suivre la commande|abonné|ne plus suivre",
        "de": "folge uns|folgen sie uns|sendung verfolgen|bestellung verfolgen|entfolgen",
        "pt": "siga nos|continuar lendo|seguir comprando|seguindo|deixar de seguir|seguir pedido",
        "it": "seguici|segui l'ordine|segui la spedizione|segui già|non seguire più",
        "nl": "volg ons|volg je bestelling|volgend|ontvolgen",
        "ru": "мы в соцсетях|отписаться от",
        "zh": "关注我们|關注我們|已关注|已關注|取消关注|取消關注",
        "ja": "フォロー中|フォロー解除|フォローしてください",
        "ko": "팔로잉|언팔로우|팔로우 취소",
    }),
)
# fmt: on

# Pages that list requests from other people: a bare "Accept", "Decline" or "Ignore" there answers one.
REQUEST_PAGE_WORDS = (
    "~friendrequest=.35|~friendsrequest=.35|~followrequest=.35|~followerrequest=.35|~connectionrequest=.35"
    "|~invitations=.3|pending requests=.35|solicitudes de amistad=.35|demandes d ami=.35|freundschaftsanfragen=.35"
    "|solicitacoes de amizade=.35|richieste di amicizia=.35|заявки в друзья=.35|~好友请求=.35|~好友邀請=.35"
    "|~友達リクエスト=.35|~친구요청=.35"
)
REQUEST_STEMS = frozenset(entry.partition("=")[0].lstrip("~") for entry in REQUEST_PAGE_WORDS.split("|"))
# "Decline" and the like (normalized): like "Accept", a bare answer whose meaning the page gives; on a
# page of requests from people it answers one of them.
DECLINE_WORDS = frozenset(
    "decline ignore reject rechazar ignorar refuser ignorer ablehnen ignorieren recusar rifiuta ignora weigeren"
    " negeren отклонить игнорировать 拒绝 拒絕 忽略 拒否 無視 거절 무시".split()
)
ANSWERS: dict[str, str] = {"any": "|".join(sorted(DECLINE_WORDS))}  # indexed as generic "ack" words
# What a chat or comment composer calls itself (its label, placeholder or the page): Enter there sends.
# A multi-line field that says none of these is an editor, where Enter only adds a line.
CHAT_WORDS = frozenset(
    "message messages reply chat chats comment comments dm dms conversation conversations messaging compose inbox"
    " mensaje mensajes responder comentario comentarios conversacion répondre repondre commentaire discussion"
    " nachricht nachrichten antworten kommentar mensagem mensagens resposta comentario messaggio messaggi rispondi"
    " commento bericht berichten reageer сообщение сообщения ответ комментарий чат 消息 回复 评论 評論 聊天"
    " メッセージ 返信 コメント チャット 메시지 답장 댓글 채팅".split()
)
