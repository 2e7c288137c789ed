// Async boundary (Module Federation): the shared singletons are negotiated before any of them is imported.
void import('./bootstrap');
