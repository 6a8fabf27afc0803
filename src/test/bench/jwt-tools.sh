# Bearer tokens for scripts that drive Quarry with authentication on (the tenancy benchmark,
# deploy/verify/prometheus-and-pgbouncer.sh): an RSA key pair made with openssl in a directory, and
# tokens signed with it (RS256), carrying the claims given as JSON members.
jwt_keys() { # dir: writes dir/jwt-private.pem and dir/jwt-public.pem
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1/jwt-private.pem" 2> /dev/null
    openssl pkey -in "$1/jwt-private.pem" -pubout -out "$1/jwt-public.pem"
}
jwt_token() { # dir issuer claims (such as "nation":7): a token good for a day
    local b64url='openssl base64 -A | tr "+/" "-_" | tr -d "="' header payload now
    now=$(date +%s)
    header=$(printf '{"alg":"RS256","typ":"JWT"}' | eval "$b64url")
    payload=$(printf '{"iss":"%s","sub":"bench","iat":%d,"exp":%d,%s}' "$2" "$now" $((now + 86400)) "$3" | eval "$b64url")
    printf '%s.%s.%s' "$header" "$payload" \
        "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$1/jwt-private.pem" | eval "$b64url")"
}
