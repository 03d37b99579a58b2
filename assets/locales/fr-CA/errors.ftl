# Refus et erreurs : toujours gentils, toujours avec un exemple qui fonctionne.

error-unknown-command = Je ne connais pas cette commande. Essaie « /aide ».
error-card-needs-name = Pour qui est la carte? Exemple : /carte "Léa" encourager "Lâche pas!"
error-name-too-long = Ce nom est trop long ({ $got } caractères, maximum { $max }). Exemple : /carte "Léa"
error-message-too-long = Ce message est trop long ({ $got } caractères, maximum { $max }). Essaie un message plus court.
error-empty = Il manque le texte. Exemple : /carte "Léa" "Bravo!"
error-unknown-design = Je ne connais pas ce modèle. Choisis un numéro de 1 à 7 ou : célébrer, reconnaître, oser, investir, réussir, encourager, merci.
error-moderation = Oups! Ce texte contient des mots qu’on ne peut pas mettre sur une carte. Essaie avec des mots gentils. 💚
error-link = Oups! On ne met pas de lien sur une carte. Écris plutôt un mot d’encouragement. 💚
error-not-a-name = Ce mot ne peut pas servir de prénom. Écris un vrai prénom, s’il te plaît.
error-slow-down = Doucement! Tu vas un peu vite. Réessaie dans une minute. 🐢
error-daily-cap = Tu as envoyé beaucoup de cartes aujourd’hui! Reviens demain pour en envoyer d’autres. 💚
error-class-needs-name = Donne un nom à la classe. Exemple : /classe "5e année B"
error-class-not-allowed = Seules les personnes responsables du groupe peuvent ouvrir une classe.
error-class-none-open = Aucune classe n’est ouverte ici. Exemple : /classe "5e année B"
error-class-closed = Cette classe est terminée. Merci d’avoir participé! 💚
error-class-not-owner = Seule la personne qui a ouvert la classe peut la fermer.
error-class-already-open = Une classe est déjà ouverte ici : « { $class } ». Fermez-la avec « /classe fermer ».
error-organizers-only = Cette commande est réservée aux organisatrices et organisateurs.
error-unknown-language = Je parle français et anglais. Exemple : /langue fr
error-unknown-button = Ce bouton n’est plus actif.
error-internal = Oups, un problème de mon côté. Réessaie dans un instant.
error-busy = Beaucoup de monde en même temps! Réessaie dans un instant.
error-invalid-input = Oups, je ne peux pas lire cette demande : elle contient des caractères que je ne reconnais pas. Réessaie avec des lettres et des chiffres ordinaires. 💚

# Moderation: a refusal says kindly why, by category, and never quotes the text.
error-moderation-insult = On n’envoie pas de message qui peut faire de la peine. Les mots qui rabaissent font mal, même pour rire. Essaie un mot d’encouragement! 💚
error-moderation-body-shaming = On ne se moque jamais du corps de quelqu’un : chaque personne est bien comme elle est. Essaie plutôt de dire ce que tu aimes chez elle! 💚
error-moderation-exclusion = Tout le monde mérite d’avoir sa place. Un message qui laisse quelqu’un de côté fait de la peine. Essaie un mot qui invite ou qui encourage! 💚
error-moderation-threat = Ce message peut faire peur. Sur une carte, on envoie seulement des mots qui font du bien. Si quelqu’un te fait peur, parles-en à un adulte de confiance. 💚
error-moderation-self-harm = On n’envoie pas de message qui parle de se faire du mal. Chaque personne compte, et toi aussi. Si ça ne va pas, des gens peuvent t’écouter : je t’envoie leurs numéros en privé. 💚
error-moderation-hate = Chaque personne mérite le respect, peu importe d’où elle vient, sa couleur, sa religion ou qui elle aime. Essaie un mot qui rassemble! 💚
error-moderation-sexual = Ce message parle de choses qui n’ont pas leur place sur une carte. Si quelqu’un te demande ce genre de choses, parles-en à un adulte de confiance. 💚
error-moderation-vulgarity = Oups! Ce message contient des gros mots. Essaie avec des mots gentils : ils font encore plus d’effet! 💚
error-moderation-uncertain = Ce message pourrait faire de la peine, même sans que tu le veuilles. Peux-tu le dire autrement, avec des mots qui encouragent? 💚
error-moderation-help-lines = Si ça ne va pas, tu n’es pas seul ou seule. Tu peux parler à quelqu’un, gratuitement, jour et nuit :
    • Tel-jeunes : 1 800 263-2266, ou par texto au 514 600-1002
    • Jeunesse, J’écoute : 1 800 668-6868, ou par texto au 686868
    En cas de danger, appelle le 911. 💚
error-moderation-write-privately = J’ai un message important pour toi, mais je ne peux pas t’écrire en privé. Écris-moi directement dans une conversation privée avec moi. 💚
error-card-blocked = Tu ne peux plus envoyer de cartes pendant cette campagne : plusieurs de tes cartes ont fait de la peine. Parles-en avec un adulte de ton école.
error-undrawable = Oups! Je ne sais pas encore dessiner « { $char } » sur une carte. Essaie sans ce caractère! 💚
error-class-approval-not-allowed = Seules les personnes responsables du groupe peuvent choisir d’approuver les messages d’abord.
error-class-teacher-not-allowed = Seules les personnes responsables du groupe peuvent recevoir l’accès de l’enseignante ou de l’enseignant.
error-class-teacher-none = Cette classe a été ouverte avant la création de l’accès enseignante ou enseignant. Fermez-la et ouvrez-en une nouvelle pour l’obtenir.
error-certificate-not-allowed = Seules les personnes responsables du groupe peuvent remettre un certificat. Écrivez-moi en privé pour en préparer un.
error-certificate-needs-name = À qui remettre ce certificat? Exemple : /certificat « Élodie » pour son courage en lecture
error-reason-too-long = Cette raison est trop longue ({ $got } caractères, maximum { $max }). Essayez une raison plus courte.
error-certificates-none = Inscrivez au moins un prénom, un par ligne.
error-certificates-too-many = C’est beaucoup pour une classe : au plus { $max } certificats à la fois.
error-certificates-line = Ligne { $line } : { $why }

error-photo-unreadable = Je n’arrive pas à lire cette photo. Essaie une photo JPEG ou PNG.
error-photo-too-large = Cette photo est trop grande (plus de { $max } mégapixels). Essaie une photo plus petite.
error-seats-range = Inscrivez un nombre d’élèves de 1 à { $max }.

# Les mêmes refus, pour les adultes dans leur rôle professionnel (tableau de bord, page enseignante) : on les vouvoie.
error-moderation-insult-vous = Ce texte contient des mots qui rabaissent : il ne peut pas être affiché. Veuillez le reformuler.
error-moderation-body-shaming-vous = Ce texte se moque du corps de quelqu’un : il ne peut pas être affiché. Veuillez le reformuler.
error-moderation-exclusion-vous = Ce texte met quelqu’un à l’écart : il ne peut pas être affiché. Veuillez le reformuler.
error-moderation-threat-vous = Ce texte contient une menace : il ne peut pas être affiché. Veuillez le reformuler.
error-moderation-self-harm-vous = Ce texte évoque le fait de se faire du mal : il ne peut pas être affiché. Si une ou un élève est en détresse, Tel-jeunes répond jour et nuit au 1 800 263-2266.
error-moderation-hate-vous = Ce texte contient des propos haineux : il ne peut pas être affiché. Veuillez le reformuler.
error-moderation-sexual-vous = Ce texte contient des propos à caractère sexuel : il ne peut pas être affiché. Veuillez le reformuler.
error-moderation-vulgarity-vous = Ce texte contient des mots vulgaires : il ne peut pas être affiché. Veuillez le reformuler.
error-moderation-uncertain-vous = Ce texte pourrait blesser : il ne peut pas être affiché tel quel. Veuillez le reformuler.
error-link-vous = Un lien ne peut pas figurer sur une carte, un badge ou un certificat. Veuillez le retirer.
error-not-a-name-vous = Ce mot ne peut pas servir de prénom. Veuillez écrire un prénom.
error-busy-vous = Beaucoup de demandes arrivent en même temps. Réessayez dans un instant.
error-internal-vous = Un problème est survenu de notre côté. Réessayez dans un instant.
error-empty-vous = Il manque le texte. Veuillez le remplir.
ribbon-no-campaign-vous = La prochaine édition des Journées de la persévérance scolaire n’est pas encore inscrite : les engagements reprendront dès que son fichier de campagne sera ajouté (ruban campaign new).
