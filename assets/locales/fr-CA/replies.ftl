# Réponses du robot dans les clavardages (Telegram, Discord, terrain de jeu web).

## Cartes
card-sent = Voici ta carte pour { $name }! 💚
card-held = Merci! Une personne adulte de ta classe va lire ton message pour { $name } avant qu’il parte. 💚
card-delivered = Une carte pour { $name }! 💚
card-alt = Carte d’encouragement pour { $name }
card-post-wall = Publier ce message sur le babillard
card-posted = Ton message est maintenant sur le babillard. Merci! 💚

## Ruban
ribbon-new = Merci! Tu portes le ruban : tu es la personne nº { $number } de la vague verte. 💚
ribbon-again = Tu portes déjà le ruban : tu es la personne nº { $number } de la vague verte. 💚
ribbon-alt = Badge du ruban, nº { $number }
ribbon-ask-wall = Veux-tu que ton nom s’affiche sur le babillard public? Par défaut, on écrit seulement « { wall-neutral-name } ».
ribbon-wall-yes = Oui, affiche mon nom
ribbon-wall-no = Non merci
ribbon-wall-saved-yes = C’est noté : ton nom public s’affichera sur le babillard.
ribbon-wall-saved-no = C’est noté : ton nom ne s’affichera pas sur le babillard.
ribbon-ask-region = Ta région (facultatif) :
ribbon-region-saved = Région enregistrée : { $region }. Merci!
ribbon-ask-age = Dernière question, si tu veux : tu es…
ribbon-age-youth = Un ou une jeune
ribbon-age-adult = Un ou une adulte
ribbon-age-unsaid = Je préfère ne pas le dire
ribbon-age-saved = C’est noté, merci! Ça aide à compter les jeunes et les adultes qui s’engagent, sans jamais dire qui.
wall-neutral-name = Une personne qui croit en toi

## Classe
class-opened = { $kind ->
    [groupe] Le groupe
   *[classe] La classe
} « { $class } » s’engage pour la persévérance scolaire! Cliquez sur le bouton pour porter le ruban.
class-count =
    { $count ->
        [one] { $formatted } engagement
       *[other] { $formatted } engagements
    }
class-join-button = Je m’engage 💚
class-close-button = Terminer (adulte responsable)
class-joined-toast = Merci! Ton engagement compte. 💚
class-already-toast = { $kind ->
    [groupe] Tu es déjà dans la vague de ce groupe. 💚
   *[classe] Tu es déjà dans la vague de cette classe. 💚
}
class-closed = { $kind ->
    [groupe] Le groupe
   *[classe] La classe
} « { $class } » a terminé : { $count ->
        [one] { $formatted } engagement
       *[other] { $formatted } engagements
    }. Bravo à toutes et à tous! 🎉
class-badge-alt = { $kind ->
    [groupe] Badge du groupe
   *[classe] Badge de la classe
} « { $class } »

## Mur
wall-title = Le babillard
wall-summary = { $total ->
        [one] { $formatted } personne porte le ruban
       *[other] { $formatted } personnes portent le ruban
    }, dont { $today } aujourd’hui.
wall-alt = Le babillard : { $formatted } engagements

## Totaux
totals-summary = Totaux de la campagne { $year } : { $formatted } engagements, { $green } { $green_count ->
    [one] photo
   *[other] photos
} en vert (/vert). Le fichier CSV est joint.
totals-alt = Graphique des engagements par jour

## Langue
language-set = D’accord, je te parle maintenant en français.
language-choose = Choisis ta langue : « /langue fr » ou « /langue en ».

## Oublie-moi
forget-confirm = Veux-tu que j’efface tout ce que je conserve à ton sujet (nom public, messages, liens vers tes engagements)? Les totaux anonymes restent.
forget-yes = Oui, efface tout
forget-no = Non, annuler
forget-done = C’est fait : j’ai tout effacé. Ton engagement reste compté, sans ton nom.
forget-cancelled = D’accord, je n’efface rien.

## Aide : une ligne par commande, et seulement celles que la personne peut utiliser là où elle écrit
help-intro = Voici ce que je sais faire ici :
help-card = /carte NOM [modèle] [message] : une carte d’encouragement. Ex. : /carte "Marie-Ève" oser "Ton exposé était génial!"
help-ribbon = /ruban [nom public] : je porte le ruban, et je reçois mon badge.
help-class = /classe NOM : votre classe s’engage ensemble, puis /classe fermer pour recevoir son badge; /classe approbation pour approuver ses messages avant le babillard.
help-class-teacher = /classe enseignant : votre page d’enseignante ou d’enseignant, en privé (élèves sans appareil, certificats, lien de la classe).
help-group = /groupe NOM : la même chose pour un groupe du cégep, de la formation des adultes ou d’un milieu de travail.
help-certificate = /certificat PRÉNOM [raison] : un certificat de reconnaissance à imprimer, remis en privé.
help-green = /vert : ta photo en vert, encadrée pour le Jeudi perséVERT.
help-wall = /mur : le babillard.
help-totals = /totaux : les totaux de la campagne, en image et en CSV.
help-language = /langue fr|en : changer de langue.
help-forget = /oublie-moi : effacer ce que je conserve à ton sujet.
help-designs = Modèles : 1 célébrer, 2 reconnaître, 3 oser, 4 investir, 5 réussir, 6 encourager, 7 merci (pour un adulte qui t’aide).
welcome = Bonjour! Je suis Ruban, le robot des Journées de la persévérance scolaire. Essaie « /carte Léa » ou « /ruban ». 💚

## Menus de commandes des plateformes (descriptions courtes, 100 caractères au plus)
command-card = Une carte d’encouragement pour quelqu’un
command-ribbon = Je porte le ruban et je reçois mon badge
command-class = Ma classe s’engage ensemble (Jeudi perséVERT)
command-wall = Le babillard
command-totals = Les totaux de la campagne (organisation)
command-language = Changer de langue : fr ou en
command-forget = Effacer ce que Ruban garde sur moi
command-help = Ce que Ruban sait faire
command-certificate = Remettre un certificat de reconnaissance (adultes)
command-green = Ma photo en vert, encadrée pour le Jeudi perséVERT
option-green-photo = Une photo où tu portes du vert
option-certificate-name = Le prénom de l’élève
option-certificate-reason = Pourquoi (par défaut : pour ses efforts et sa persévérance)
class-join-link = Se joindre en privé
card-inline-off = Écris-moi en privé pour envoyer une carte
card-inline-hint = Écris un nom : « Bravo Alex » ou « Alex, quel beau projet! »

## Options des commandes Discord (noms en minuscules; descriptions de 100 caractères au plus)
option-recipient = La personne qui recevra la carte
option-name = Un nom à écrire sur la carte, si la personne n’est pas ici
option-design = Le modèle de la carte
option-message = Ton message (280 caractères au plus)
option-public-name = Le nom à afficher sur ton badge et sur le babillard
option-class-name = Le nom de la classe, par exemple « 5e année B »
option-close = Fermer la classe ouverte et recevoir son badge
option-approval = Les messages de la classe attendent d’être approuvés avant d’aller sur le babillard
option-teacher = Recevoir en privé votre page d’enseignante ou d’enseignant pour la classe
option-group = Un groupe (cégep, formation des adultes, milieu de travail) : les messages disent « groupe »
option-language = fr ou en

# An open class's message: the link for pupils without an account (a school device).
class-link-line = { $kind ->
    [groupe] Sans compte? Lien du groupe : { $url }
   *[classe] Sans compte? Lien de la classe : { $url }
}

## Le calendrier des campagnes : entre deux éditions, le robot reste ouvert
ribbon-early = La vague verte { $year } commence le { $date } : ton engagement y est déjà compté!
ribbon-no-campaign = Merci de vouloir porter le ruban! 💚 La prochaine édition des Journées de la persévérance scolaire n’est pas encore annoncée. Reviens quand elle le sera : ta place dans la vague verte t’attendra. En attendant, tu peux envoyer des cartes avec /carte.
class-no-campaign = La prochaine édition des Journées de la persévérance scolaire n’est pas encore annoncée : votre classe pourra s’engager ensemble dès que son fichier de campagne sera ajouté. D’ici là, vos élèves peuvent déjà s’envoyer des cartes avec /carte. 💚
class-campaign-over = Cette classe faisait partie des Journées de la persévérance scolaire { $year }, qui sont terminées. Demande à ton enseignant ou à ton enseignante d’ouvrir une nouvelle classe.
help-season-during = En ce moment : les Journées de la persévérance scolaire { $year }, jusqu’au { $end }. Jeudi perséVERT : { $persevert }, on porte du vert!
help-season-before = Prochaine édition : les Journées de la persévérance scolaire { $year }, du { $start } au { $end }. Tu peux déjà porter le ruban avec /ruban!
help-season-unannounced = La prochaine édition des Journées de la persévérance scolaire n’est pas encore annoncée. Les cartes d’encouragement, elles, sont toujours ouvertes!
card-report = Signaler
report-thanks = Merci de nous l’avoir dit. La carte est retirée du babillard et les organisateurs vont la regarder. Si une carte te fait de la peine, parles-en aussi à un adulte de confiance.
report-not-yours = Seule la personne qui a reçu cette carte, ou un adulte responsable du groupe, peut la signaler.
class-approval-on = C’est noté : les messages de la classe « { $class } » s’afficheront sur le babillard une fois approuvés par l’enseignante ou l’enseignant, ou par l’organisation. Pour revenir en arrière : /classe approbation non
class-approval-off = Les messages de la classe « { $class } » s’affichent de nouveau sur le babillard dès leur publication.
card-posted-awaiting = Merci! Ton message s’affichera sur le babillard quand un adulte l’aura approuvé. 💚
class-teacher-link = Votre accès d’enseignante ou d’enseignant pour la classe « { $class } » : { $link }
    Gardez-le pour vous : cette page vous permet de choisir d’approuver les messages de la classe avant qu’ils s’affichent sur le babillard.
class-teacher-write-privately = Écrivez-moi d’abord en privé, puis tapez de nouveau /classe enseignant ici : votre accès ne doit pas apparaître dans le groupe.
certificate-ready = Voici le certificat de reconnaissance de { $name }, prêt à imprimer (image et PDF). Bravo pour ce beau geste!
certificate-alt = Le certificat de reconnaissance de { $name }
certificate-default-reason = pour ses efforts et sa persévérance
certificate-default-giver = L’équipe de l’école
certificate-write-privately = Écrivez-moi d’abord en privé, puis redemandez le certificat ici : je vous l’enverrai là, pour que la surprise reste entière.

## /vert : le Jeudi perséVERT (la photo n’est jamais gardée, seulement le compte)
green-ready =
    Voici ta photo perséVERT! Avec un adulte, tu peux la partager avec { $hashtag }. Tu fais partie de la vague verte : { $count ->
        [one] { $formatted } photo en vert
       *[other] { $formatted } photos en vert
    } jusqu’ici! 💚
green-ready-no-campaign = Voici ta photo en vert! 💚
green-alt = Ta photo encadrée de vert et de blanc, avec « Jeudi perséVERT »
green-needs-photo-telegram = Envoie une photo où tu portes du vert, avec /vert comme légende (ou réponds /vert à ta photo) : elle te revient encadrée aux couleurs du ruban.
green-needs-photo-discord = Ajoute à la commande /vert une photo où tu portes du vert (l’option « photo ») : elle te revient encadrée aux couleurs du ruban.
green-needs-photo = Choisis une photo où tu portes du vert : elle te revient encadrée aux couleurs du ruban.

seats-recorded = C’est noté pour « { $class } » : { $added ->
    [0] aucun élève de plus (ce nombre était déjà inscrit)
    [one] 1 élève de plus
   *[other] { $added } élèves de plus
}. { $kind ->
    [groupe] Le groupe
   *[classe] La classe
} compte maintenant { $formatted } { $count ->
    [one] engagement
   *[other] engagements
}. 💚

## File names of images and documents (ASCII; the name follows)
file-card = carte
file-class = classe
file-certificate = certificat
