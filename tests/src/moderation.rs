//! Messages for tests of what moderation decides, found with the shipped lists and model
//! rather than hard-coded: a retrained model moves every score, and a test that needs an
//! uncertain message must still find one.

use ruban_core::moderation::{Verdict, judge};

/// Sentences near the line between kind and hurtful: blunt, teasing or odd, none with a
/// word any list refuses. Some fall in the scorer's uncertain band.
const NEAR_THE_LINE: &[&str] = &[
    "t'es vraiment spécial toi",
    "ton dessin est bizarre",
    "t'es toujours tout seul à la récré",
    "personne a compris ton exposé",
    "tu parles trop fort en classe",
    "t'es pas mal lent des fois",
    "ton équipe a perdu à cause de toi",
    "t'as encore oublié ton devoir",
    "tout le monde a ri quand t'es tombé",
    "t'étais pas invité mais c'est correct",
    "t'es le dernier choisi mais lâche pas",
    "même si personne te choisit, continue",
    "you're kind of weird but ok",
    "nobody understood your presentation",
    "you always sit alone",
    "you talk too much in class",
    "we lost because of you but whatever",
    "everyone laughed when you fell",
    "you're the last one picked again",
    "your drawing looks strange",
    "t'as l'air fatigué tout le temps",
    "tu manges toujours tout seul",
    "ta photo était drôle, tout le monde l'a vue",
    "je vais montrer ta photo à la classe",
    "ta mère est partie, ça doit être dur",
    "you should stay home tomorrow",
    "t'es mieux de rester chez vous demain",
    "nobody noticed you were gone",
    "personne a remarqué que t'étais absent",
    "ton père est parti loin",
    "you're not like the others",
    "t'es pas comme les autres",
    "les autres rient de toi mais moi non",
    "people talk about you",
    "le monde parle de toi",
    "tu ferais mieux de changer",
    "you should change who you are",
    "t'as pas beaucoup d'amis",
    "you don't have many friends",
    "retourne à ta place",
    "go back to your seat",
    "tu ressembles à ton chien",
    "you look like your dog",
    "t'es drôle de face",
    "ton linge est spécial",
];

/// A sentence the shipped moderation neither passes nor refuses: it waits for an adult.
///
/// # Panics
/// When no sentence of [`NEAR_THE_LINE`] is uncertain for the shipped model (add some).
pub fn an_uncertain_message() -> &'static str {
    NEAR_THE_LINE
        .iter()
        .copied()
        .find(|m| matches!(judge(m), Verdict::Uncertain(_)))
        .expect("no sentence near the line is uncertain for the shipped model: add some to NEAR_THE_LINE")
}
