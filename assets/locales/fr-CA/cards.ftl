# Textes dessinés sur les images (cartes, badges, certificats).
# Les valeurs insérées ne sont pas isolées (pas de marques bidi) : elles sont dessinées.

## Les six cartes, une par verbe de la campagne
card-headline-celebrer = Bravo!
card-headline-reconnaitre = Chapeau!
card-headline-oser = Fonce!
card-headline-investir = Continue!
card-headline-reussir = Mission accomplie!
card-headline-encourager = Lâche pas!
card-headline-merci = Merci!
card-to = Pour { $name }
card-from = — { $name }

## Messages suggérés quand la personne n’en écrit pas
card-suggestion-1 = Ta persévérance m’inspire chaque jour. Continue comme ça!
card-suggestion-2 = Chaque effort compte, et les tiens font toute la différence.
card-suggestion-3 = Je crois en toi, aujourd’hui et pour la suite!
card-suggestion-4 = Tu as le droit de trouver ça difficile… et tu continues quand même. Bravo!
card-suggestion-5 = Pas à pas, tu vas loin. Je suis fier ou fière de toi!
card-suggestion-6 = Ton courage devant les défis est une belle leçon pour tout le monde.
card-suggestion-7 = Une erreur, c’est juste une étape de plus vers la réussite. Lâche pas!
card-suggestion-8 = Merci d’être toi : une personne curieuse, tenace et pleine d’idées!
card-suggestion-9 = Tu progresses plus que tu ne le crois. Regarde tout le chemin parcouru!
card-suggestion-10 = La persévérance, ça mène loin, et toi, tu iras très loin!
card-suggestion-11 = Ose poser tes questions, ose essayer : c’est comme ça qu’on apprend.
card-suggestion-12 = Tes efforts d’aujourd’hui sont tes réussites de demain.
card-suggestion-13 = Quelle belle énergie tu mets dans tes projets. Continue!
card-suggestion-14 = Tu n’es pas seul ni seule : toute une équipe croit en toi.

## Badge du ruban
badge-title = Je porte le ruban
badge-number = nº { $number }
badge-subtitle = pour la persévérance scolaire

## Badge de classe
class-badge-title = { $kind ->
    [groupe] Notre groupe s’engage!
   *[classe] Notre classe s’engage!
}
class-badge-count =
    { $count ->
        [one] { $formatted } engagement
       *[other] { $formatted } engagements
    }
class-badge-more = { $count ->
    [one] + { $formatted } autre
   *[other] + { $formatted } autres
}

## Certificat
certificate-title = Certificat de reconnaissance
certificate-subtitle = de la persévérance scolaire
certificate-presented = décerné à
certificate-given-by = Remis par
certificate-signature = Signature
certificate-date = Date

## Dates écrites en toutes lettres
date-long = { $weekday } { $day } { $month } { $year }
date-day = { $day ->
        [1] 1er
       *[other] { $day }
    }
weekday-1 = lundi
weekday-2 = mardi
weekday-3 = mercredi
weekday-4 = jeudi
weekday-5 = vendredi
weekday-6 = samedi
weekday-7 = dimanche
month-1 = janvier
month-2 = février
month-3 = mars
month-4 = avril
month-5 = mai
month-6 = juin
month-7 = juillet
month-8 = août
month-9 = septembre
month-10 = octobre
month-11 = novembre
month-12 = décembre

## Entre deux campagnes (aucune édition annoncée) : rien d’une année passée sur les images
hashtag-no-campaign = #persévérancescolaire

## Messages suggérés par design (au moins trois chacun), choisis au hasard pour chaque carte.
## Ils parlent du thème : les efforts, les essais, les erreurs, le fait de recommencer.
card-suggestion-celebrer-1 = Tu as essayé, recommencé, puis réussi. Ça se fête!
card-suggestion-celebrer-2 = Chaque petit pas compte, et aujourd’hui, on célèbre tous les tiens!
card-suggestion-celebrer-3 = Tes efforts ont porté fruit. Bravo pour ta persévérance!
card-suggestion-reconnaitre-1 = J’ai vu tous les efforts que tu as mis. Ils comptent vraiment.
card-suggestion-reconnaitre-2 = Tu t’es trompé ou trompée, tu as recommencé, et tu as progressé. Chapeau!
card-suggestion-reconnaitre-3 = Ton travail, jour après jour, ne passe pas inaperçu. Merci pour tes efforts!
card-suggestion-oser-1 = Essayer, c’est déjà avancer. Ose, même si ce n’est pas parfait!
card-suggestion-oser-2 = Une erreur, c’est la preuve que tu as osé essayer. Continue!
card-suggestion-oser-3 = Tu peux te tromper : c’est en essayant qu’on apprend. Fonce!
card-suggestion-investir-1 = Chaque effort que tu fais aujourd’hui te mène plus loin demain.
card-suggestion-investir-2 = Quand c’est difficile, tu recommences. C’est ça, la persévérance!
card-suggestion-investir-3 = Tes essais d’aujourd’hui préparent tes réussites de demain. Continue!
card-suggestion-reussir-1 = Tu as réussi parce que tu n’as pas abandonné. Bravo!
card-suggestion-reussir-2 = Derrière cette réussite, il y a tes essais, tes erreurs et ton courage.
card-suggestion-reussir-3 = Tu as recommencé autant de fois qu’il le fallait, et tu y es arrivé ou arrivée!
card-suggestion-encourager-1 = C’est correct de trouver ça difficile. Prends ton temps, puis recommence.
card-suggestion-encourager-2 = Les erreurs font partie du chemin. Lâche pas, je crois en toi!
card-suggestion-encourager-3 = Un effort à la fois, tu avances. Je suis là pour t’encourager!
# Merci : pour les adultes autour d’un jeune (parents, personnel enseignant, entraîneurs, employeurs); tirés au hasard, donc sans « tu » ni « vous ».
card-suggestion-merci-1 = Merci d’être là pour moi, dans les bons jours comme dans les plus difficiles.
card-suggestion-merci-2 = Merci de croire en moi, même les jours où j’en doute.
card-suggestion-merci-3 = Merci pour la patience et pour chaque explication, même quand il faut recommencer.
card-suggestion-merci-4 = Merci de m’aider à oser lever la main et poser mes questions.
card-suggestion-merci-5 = Merci de m’apprendre qu’une erreur, c’est une étape pour faire encore mieux.
card-suggestion-merci-6 = Merci de m’encourager à chaque entraînement, même quand je rate mon coup.
card-suggestion-merci-7 = Merci de m’aider à trouver du temps pour apprendre : ça m’aide à persévérer.
card-suggestion-merci-8 = Merci de m’encourager à continuer, un petit pas à la fois.

# The Jeudi perséVERT photo frame (/vert).
green-title = Jeudi perséVERT
