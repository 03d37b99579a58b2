# Refus et erreurs : toujours gentils, toujours avec un exemple qui fonctionne.

error-unknown-command = Je ne connais pas cette commande. Essaie « /aide ».
error-card-needs-name = Pour qui est la carte? Exemple : /carte "Léa" encourager "Lâche pas!"
error-name-too-long = Ce nom est trop long ({ $got } caractères, maximum { $max }). Exemple : /carte "Léa"
error-message-too-long = Ce message est trop long ({ $got } caractères, maximum { $max }). Essaie un message plus court.
error-empty = Il manque le texte. Exemple : /carte "Léa" "Bravo!"
error-unknown-design = Je ne connais pas ce modèle. Choisis un numéro de 1 à 6 ou : célébrer, reconnaître, oser, investir, réussir, encourager.
error-moderation = Oups! Ce texte contient des mots qu’on ne peut pas mettre sur une carte. Essaie avec des mots gentils. 💚
error-link = Oups! On ne met pas de lien sur une carte. Écris plutôt un mot d’encouragement. 💚
error-slow-down = Doucement! Tu vas un peu vite. Réessaie dans une minute. 🐢
error-daily-cap = Tu as envoyé beaucoup de cartes aujourd’hui! Reviens demain pour en envoyer d’autres. 💚
error-class-needs-name = Donne un nom à la classe. Exemple : /classe "5e année B"
error-class-not-allowed = Seules les personnes responsables du groupe peuvent ouvrir une classe.
error-class-none-open = Aucune classe n’est ouverte ici. Exemple : /classe "5e année B"
error-class-closed = Cette classe est terminée. Merci d’avoir participé! 💚
error-class-not-owner = Seule la personne qui a ouvert la classe peut la fermer.
error-class-already-open = Une classe est déjà ouverte ici : « { $class } ». Ferme-la avec « /classe fermer ».
error-organizers-only = Cette commande est réservée aux organisatrices et organisateurs.
error-unknown-language = Je parle français et anglais. Exemple : /langue fr
error-unknown-button = Ce bouton n’est plus actif.
error-internal = Oups, un problème de mon côté. Réessaie dans un instant.
error-invalid-input = Oups, je ne peux pas lire cette demande : elle contient des caractères que je ne reconnais pas. Réessaie avec des lettres et des chiffres ordinaires. 💚
