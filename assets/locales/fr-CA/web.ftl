# Le terrain de jeu web : clavarder avec Ruban dans une page.

web-title = Ruban — terrain de jeu
web-heading = Clavarde avec Ruban
web-intro = Essaie toutes les commandes comme dans Telegram ou Discord. Change de personne pour jouer plusieurs élèves d’une même classe.
web-you-are = Tu es
web-name-placeholder = Ton prénom
web-chat = Groupe
web-language = Langue
web-input-label = Ton message
web-input-placeholder = Écris une commande, par exemple /carte Léa
web-photo = Envoyer une photo en vert (/vert)
web-send = Envoyer
web-examples = Exemples à cliquer
web-example-card = /carte "Léa" encourager "Lâche pas, tu es capable!"
web-example-ribbon = /ruban Zoé
web-example-class = /classe "5e année B"
web-example-wall = /mur
web-example-help = /aide
web-bot-name = Ruban
web-error = Le message n’a pas pu partir. Réessaie.

## Le babillard en direct (projecteur)
wall-page-title = Le babillard
wall-page-counter =
    { $count ->
        [one] personne porte le ruban
       *[other] personnes portent le ruban
    }
wall-page-today = Aujourd’hui : { $formatted }
wall-page-persevert = C’est Jeudi perséVERT! Tout le monde en vert! 💚
wall-page-green = La vague verte : { $count ->
    [one] { $formatted } photo en vert
   *[other] { $formatted } photos en vert
} (/vert)
wall-page-latest = Les dernières personnes engagées
wall-page-messages = Messages d’appui
wall-page-regions = Par région
wall-page-join = Engage-toi aussi : scanne le code!
wall-page-switch = English
wall-page-empty = Sois la première personne à porter le ruban!

## Tableau de bord des organisatrices et organisateurs
dash-title = Tableau de bord — organisation
dash-login-title = Connexion des organisatrices et organisateurs
dash-login-token = Jeton d’accès
dash-login-submit = Se connecter
dash-login-bad = Ce jeton n’est pas valide. Vérifiez-le et réessayez.
dash-login-slow = Trop d’essais. Attendez une minute, puis réessayez.
dash-logout = Se déconnecter
dash-scope-all = Toute la campagne
dash-scope-region = Région : { $name }
dash-scope-organization = Organisation : { $name }
dash-total = Engagements
dash-total-split = (jeunes : { $youth }; adultes : { $adult }; selon leurs réponses)
dash-cards = Cartes envoyées
dash-classes = Classes engagées
dash-by-day = Par jour
dash-by-region = Par région
dash-by-organization = Par organisation
dash-by-platform = Par plateforme
dash-by-chat = Par conversation
dash-col-day = Jour
dash-col-region = Région
dash-col-organization = Organisation
dash-col-platform = Plateforme
dash-region-none = Région non précisée
dash-organization-none = Organisation non précisée
dash-col-pledges = Engagements
dash-persevert = Jeudi perséVERT
dash-downloads = Téléchargements
dash-download-csv = CSV (Excel)
dash-download-json = JSON
dash-download-pledges = Engagements un par un (CSV)
dash-download-xlsx = Classeur Excel (tous les chiffres, avec graphique)
dash-download-csv-fr = CSV pour Excel en français (;)
dash-moderation = Messages du babillard à modérer
dash-moderation-empty = Aucun message pour l’instant.
dash-hide = Masquer
dash-show = Afficher de nouveau
dash-hidden = masqué
dash-moderation-scoped = La modération du babillard est réservée aux jetons de toute la campagne.
wall-bad-filter = Ce lien de babillard n’est pas valide : vérifiez l’adresse ou demandez un nouveau lien.
dash-login-unavailable = La connexion est impossible pour le moment. Réessayez dans un instant.

# The front page when the playground is closed (a server open to the Internet).
web-closed-title = Ruban, pour les Journées de la persévérance scolaire
web-closed-text = Ruban t’attend sur Telegram et Discord. En classe, ton enseignante ou ton enseignant te donne le lien de ta classe.
web-closed-wall = Voir le babillard des encouragements

# The class link (/classe/CODE): pupils pledge one after the other on a school device.
classlink-title = { $kind ->
    [groupe] Groupe
   *[classe] Classe
} « { $class } »
classlink-intro = Chaque élève, à son tour, appuie sur le bouton pour porter le ruban vert et blanc de la persévérance scolaire.
classlink-pledge = Je m’engage
classlink-next = Ensuite, passe l’appareil à l’élève suivant ou suivante.
classlink-name = Ton prénom (si tu veux)
classlink-name-why = Il sera écrit sur le badge de la classe, puis effacé quand la classe terminera son engagement.
classlink-thanks = Merci, c’est compté!
classlink-again = Appuie encore
classlink-slow = Pas encore compté : l’appareil attend 2 secondes entre deux élèves.
classlink-error = Oups, ça n’a pas marché. Réessaie.
classlink-no-device = Cette page a été ouverte ailleurs. Recharge-la, puis appuie de nouveau sur le bouton.
classlink-closed = Cette classe a terminé son engagement. Merci à toutes et à tous!
classlink-unknown-title = Lien de classe introuvable
classlink-unknown = Ce lien de classe n’existe pas. Demande le bon lien à ton enseignante ou à ton enseignant.
classlink-card-title = Une carte pour une ou un camarade
classlink-card-to = Son prénom
classlink-card-design = Le modèle
classlink-card-message = Ton message (si tu veux)
classlink-card-send = Faire la carte
classlink-card-alt = La carte d’encouragement
classlink-card-download = Télécharger la carte
classlink-green-title = Jeudi perséVERT : ta photo en vert
classlink-green-photo = Ta photo
classlink-green-why = Elle te revient encadrée aux couleurs du ruban. Ruban ne garde jamais ta photo : il compte seulement une photo de plus dans la vague verte.
classlink-green-send = Encadrer ma photo
classlink-green-download = Télécharger ma photo
classlink-green-too-big = Cette photo est trop lourde (plus de { $max } Mo). Essaie une photo plus petite.
dash-classes-open = Classes ouvertes
dash-classes-open-empty = Aucune classe ouverte pour l’instant.
dash-class-facts = { $count ->
    [one] { $formatted } engagement
   *[other] { $formatted } engagements
}, ouverte le { $date } ({ $origin })
dash-class-origin-dashboard = tableau de bord
dash-class-origin-web = page web
dash-class-renew = Nouveau lien
dash-class-renew-why = Un lien partagé trop largement se renouvelle ici : l’ancien cesse aussitôt de fonctionner.
dash-class-name = Nom de la classe ou du groupe
dash-class-group = C’est un groupe (cégep, formation des adultes, milieu de travail)
dash-class-open = Ouvrir la classe
dash-class-open-refused = La classe n’a pas pu être ouverte
dash-class-close = Fermer et obtenir le badge
dash-class-sheet = Affiche à imprimer
dash-class-sheet-how = Ouvrez ce lien sur l’appareil de la classe (ou balayez le code QR) : chaque élève appuie à son tour sur « Je m’engage », puis passe l’appareil à l’élève suivant ou suivante. Aucun compte, aucune adresse courriel.
dash-class-sheet-keep = Réservez ce lien à la classe : toute personne qui l’a peut ajouter des engagements. S’il circule trop largement, demandez à l’organisation de le renouveler.
dash-class-badge-download = Télécharger le badge de la classe
dash-back = Retour au tableau de bord
dash-reports = Cartes signalées
dash-reports-empty = Aucune carte signalée.
dash-report-suggested = (message suggéré par Ruban)
dash-report-state-open = à examiner
dash-report-state-hidden = masquée
dash-report-state-restored = rétablie
dash-report-state-blocked = expéditeur bloqué
dash-report-strikes = { $count ->
    [one] { $count } carte signalée de cet expéditeur
   *[other] { $count } cartes signalées de cet expéditeur
}
dash-report-blocked = bloqué pour la campagne
dash-report-hide = Garder masquée
dash-report-restore = Rétablir
dash-report-block = Bloquer l’expéditeur
dash-approve = Approuver
dash-awaiting = en attente d’approbation
wall-pledge-named = { $name } porte le ruban
wall-pledge-anonymous = Quelqu’un porte le ruban
wall-page-messages-empty = Les messages d’encouragement s’afficheront ici.

# « Signaler » on the wall page (issue 14): anyone looking may press it.
wall-report = Signaler
wall-report-label = Signaler ce message à un adulte
wall-report-title = Message signalé
wall-report-thanks = Merci de nous l’avoir dit! Ce message est retiré du babillard. Un adulte de la campagne va le regarder.
wall-report-gone = Ce message n’est plus sur le babillard.
wall-report-too-many = Tu as déjà signalé plusieurs messages dans la dernière heure. Si un message te fait de la peine, parles-en à un adulte.
wall-report-refused = Ce bouton fonctionne seulement depuis la page du babillard.
wall-report-back = Retour au babillard
dash-report-from-wall = Signalé depuis la page du babillard : compte comme avertissement seulement si vous le gardez masqué.
teacher-title = Page du personnel enseignant — { $class }
teacher-keep = Ce lien vous est réservé : ne le donnez pas aux élèves. Toute personne qui l’a peut approuver les messages de la classe.
teacher-members = { $count ->
    [one] engagement dans la classe
   *[other] engagements dans la classe
}
teacher-closed = Cette classe est fermée : vous pouvez encore approuver ou garder masqués les messages en attente.
teacher-approval-on = Les messages de la classe attendent votre approbation avant de s’afficher sur le babillard.
teacher-approval-off = Les messages de la classe s’affichent sur le babillard dès leur publication.
teacher-approval-turn-on = Demander mon approbation d’abord
teacher-approval-turn-off = Ne plus demander mon approbation
teacher-queue = Messages en attente
teacher-queue-empty = Aucun message n’attend votre approbation.
teacher-approve = Approuver
teacher-hide = Garder masqué
teacher-held = Cartes à lire avant l’envoi
teacher-held-why = Ces messages ne sont ni clairement gentils ni clairement blessants : ils attendent votre décision. Rien n’est dessiné ni envoyé sans votre accord.
teacher-held-to = Pour { $name }
teacher-held-send = Approuver et envoyer
teacher-held-drop = Ne pas envoyer
teacher-held-ready = Carte approuvée. Vous pouvez la montrer à l’élève ou la télécharger pour l’imprimer.
teacher-held-download = Télécharger la carte
teacher-held-back = Retour à la page de la classe
dash-held = Cartes à lire avant l’envoi, toutes classes
dash-held-empty = Aucune carte n’attend de décision.
dash-held-back = Retour au tableau de bord
teacher-gone = Ce lien ne mène à aucune classe. Demandez votre accès dans le groupe de la classe avec /classe enseignant, ou à l’organisation si la classe a été ouverte depuis le tableau de bord.
dash-class-teacher = Accès de l’enseignante ou de l’enseignant
teacher-class-link = Lien de la classe
teacher-renew-why = Si ce lien a circulé hors de la classe, renouvelez-le : l’ancien, y compris celui du message de la classe, cesse aussitôt de fonctionner. Ouvrez ensuite le nouveau sur l’appareil de la classe.
teacher-renew = Nouveau lien de classe
teacher-seats-title = Élèves sans appareil
teacher-seats-why = Votre classe s’est engagée, mais certains élèves n’avaient pas d’appareil? Inscrivez combien d’élèves, en tout, ne se sont pas engagés eux-mêmes : ils sont comptés dans la vague verte, sur le babillard et dans les totaux, sans aucun nom. Inscrivez toujours le total (24, puis 26 s’il en manquait deux) : personne n’est compté en double.
teacher-seats-label = Nombre d’élèves
teacher-seats-record = Inscrire l’engagement
teacher-seats-download = Télécharger le badge de la classe
teacher-back = Retour à la page de la classe
dash-certificates = Certificats remis
dash-green-photos = Photos en vert (Jeudi perséVERT, /vert)
dash-certificates-title = Certificats pour une classe
dash-certificates-why = Les prénoms servent seulement à dessiner les certificats : Ruban ne les garde pas, il compte seulement les certificats remis.
dash-certificates-names = Prénoms des élèves, un par ligne
dash-certificates-reason = Raison (facultatif)
dash-certificates-giver = Remis par
dash-certificates-make = Télécharger le PDF à imprimer
dash-certificates-refused = Les certificats n’ont pas pu être préparés
dash-certificates-file = certificats.pdf
dash-certificates-make-zip = Télécharger les images (ZIP de PNG)
dash-certificates-zip-file = certificats.zip

## The organizers' Excel workbook (sheet names: 31 characters at most)
xlsx-summary = Résumé
xlsx-figure = Indicateur
xlsx-count = Nombre
xlsx-pledges = Engagements
xlsx-pledges-thursday = Engagements le Jeudi perséVERT
xlsx-youth = – jeunes
xlsx-adult = – adultes
xlsx-unsaid = – sans réponse
xlsx-classes = Classes et groupes
xlsx-cards = Cartes envoyées
xlsx-certificates = Certificats remis
xlsx-green-photos = Photos en vert (/vert)
xlsx-by-day = Par jour
xlsx-day = Jour
xlsx-persevert = Jeudi perséVERT
xlsx-yes = Oui
xlsx-by-region = Par région
xlsx-code = Code
xlsx-region = Région
xlsx-by-organization = Par organisation
xlsx-organization = Organisation
xlsx-by-platform = Par plateforme
xlsx-platform = Plateforme
xlsx-chart = Graphique
xlsx-chart-title = La vague verte, jour par jour
web-too-many-misses = Trop de liens qui n’ouvrent rien ont été essayés d’ici. Réessaie dans une minute.
dash-no-next-campaign = La campagne { $year } est terminée et aucune prochaine campagne n’est inscrite : les engagements sont refusés jusqu’à ce que votre équipe technique en ajoute une (ruban campaign new).
teacher-names-title = Prénoms pour le badge de la classe
teacher-names-why = Les élèves peuvent écrire leur prénom en s’engageant. Ils seront dessinés sur le badge quand la classe terminera son engagement, puis effacés. Retirez ceux qui ne doivent pas y être (l’engagement reste compté).
teacher-names-empty = Aucun prénom pour l’instant.
teacher-names-remove = Retirer « { $name } »

## The campaign's one-page report (dashboard, ruban report)
report-title = Bilan de la campagne { $year }
report-pledges = engagements
report-cards = cartes envoyées
report-classes = classes et groupes engagés
report-certificates = certificats remis
report-green = photos en vert (Jeudi perséVERT)
report-percent = { $n }{"\u00A0"}%
report-youth-share = de jeunes parmi les personnes qui ont dit leur âge
report-by-day = Engagements par jour
report-by-region = Engagements par région
report-ages = Jeunes et adultes
report-youth = Jeunes
report-adults = Adultes
report-age-unsaid = Âge non précisé
report-footer = Fait le { $date } par Ruban, à partir des engagements enregistrés.
report-file = bilan-campagne.pdf
dash-download-report = Le bilan de la campagne sur une page (PDF, à imprimer)
