"""Who may see and change what: every permission decision of the product lives in this package.

Views, the API and services call these functions; none of them tests roles itself.
An object outside the user's scope is reported as NotFound (404), never as 403.
"""
