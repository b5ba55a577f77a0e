// /invite.html forwards to /invite/ (links read https://host/invite#TOKEN), keeping the token in the fragment so it
// never reaches the server's logs. A file of its own because the Content-Security-Policy runs no inline script.
location.replace('/invite/' + location.search + location.hash);
