// Async boundary (Module Federation): the shared singletons (react, react-dom, react-router, Mantine, TanStack
// Query, i18next) are resolved by the federation runtime before bootstrap.tsx imports any of them.
void import('./bootstrap.js');
