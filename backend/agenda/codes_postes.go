package agenda

// Codes of the postes of one office (backend/poste, app/principal, ADR 0010): the poste principal
// serves the office's agenda to the postes secondaires it paired. The secondary's window reads
// them to say what is happening (« Poste principal injoignable — nouvelle tentative dans 5 s »).
var (
	CodePosteInjoignable = define("poste_injoignable", Unavailable, false) // param "address": no answer from the principal (the call is retried)
	CodePosteNonApparie  = define("poste_non_appaire", Forbidden, false)   // no credential, or one the principal does not know
	CodePosteRevoque     = define("poste_revoque", Forbidden, false)       // the principal revoked this poste
	CodeRoleRefuse       = define("role_refuse", Forbidden, false)         // param "method": not an operation of this poste's role
	CodePosteCertificat  = define("poste_certificat", Forbidden, false)    // param "fingerprint": the server is not the paired principal
	CodePosteCodeInvalid = define("poste_code_invalide", Forbidden, false) // unknown or already used pairing code
	CodePosteCodeExpire  = define("poste_code_expire", Forbidden, false)   // the pairing code's few minutes are over
	CodePosteCodeAttente = define("poste_code_attente", Forbidden, false)  // param "seconds": too many wrong codes, wait
	CodePosteRequete     = define("poste_requete", Invalid, false)         // a request the principal cannot read (size, shape)
	CodePosteReponse     = define("poste_reponse_perdue", Conflict, false) // the call was recorded but the principal stopped before its answer
	CodePosteRole        = define("poste_role_inconnu", Invalid, false)    // param "role": guichet or borne
	CodePosteNomPris     = define("poste_nom_pris", Conflict, false)       // param "name": an active poste has that name
	CodePosteInconnu     = define("poste_inconnu", NotFound, false)        // param "poste": no poste of that name or id
	CodePosteNonServi    = define("poste_non_servi", Invalid, false)       // serving the postes is not available in this process
)
